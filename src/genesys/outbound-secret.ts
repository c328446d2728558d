/**
 * The rule Genesys holds an integration's outbound secret (outboundNotificationWebhookSignatureSecretToken)
 * to: "This token must be longer than 15 characters" (OpenIntegrationRequest). A shorter one is refused
 * when the integration is created or updated, so we refuse it first, with a line that says why.
 */
export const MIN_OUTBOUND_SECRET_LENGTH = 16;

/** true, or why Genesys would refuse this secret. */
export function checkOutboundSecret(secret: string): true | string {
  return secret.length >= MIN_OUTBOUND_SECRET_LENGTH
    ? true
    : `is ${secret.length} characters long; Genesys requires more than ${MIN_OUTBOUND_SECRET_LENGTH - 1}`;
}
