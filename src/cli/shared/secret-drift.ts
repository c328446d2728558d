/**
 * What `init` and `doctor` say when an integration signs with another configuration's outbound
 * secret (src/genesys/secret-mark.ts): what happened, and the three ways out.
 */
export function describeDrift(integration: { id: string; name: string }, secretEnv: string): { detail: string; fix: string } {
  return {
    detail: `"${integration.name}" (${integration.id}) signs agent messages with an outbound secret that is not this project's ${secretEnv}: another configuration (an init in another folder, against the same Genesys organisation) set its own, so this relay refuses every agent message (401)`,
    fix: `Copy ${secretEnv} from the other project's .env into this one (both relays then share the integration), or give this project its own integrations (line-genesys init --integration-prefix <name>), or delete ${secretEnv} from this .env and run line-genesys init to take the integration back (the other project's relay then refuses instead).`,
  };
}
