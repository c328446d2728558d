/**
 * Validates bodies against LINE's own OpenAPI files (GitHub line/line-openapi, committed here as JSON by
 * scripts/convert-line-openapi.mjs): requests we send to the Messaging API, webhook bodies LINE sends us.
 *
 * OpenAPI 3 `discriminator.mapping` + `allOf` inheritance means nothing to a JSON-Schema validator, so each
 * discriminated schema `<Name>` is rewritten: `<Name>__base` keeps its own fields, `<Name>` becomes
 * allOf [base, if type = v then <mapped schema> …], and the mapped schemas inherit from the base (no recursion).
 */
import { Ajv, type AnySchemaObject, type ErrorObject, type ValidateFunction } from 'ajv';
import { CHAT_ID, USER_ID } from '../line/ids.js';
import messagingApi from './line-schema.json' with { type: 'json' };
import webhookApi from './line-webhook-schema.json' with { type: 'json' };

type Json = Record<string, any>;
export interface LineViolation { message: string; property: string }

const HTTPS = '^https://';
/** LINE's own wording (api-examples.json, 400 of loading/start). */
const ONLY_USER_ID = 'Only user id is acceptable, please confirm if there are any group/room ids or illegal ids.';

/**
 * Limits LINE's reference (developers.line.biz/en/reference/messaging-api/) documents but messaging-api.yml
 * leaves out. Lengths count UTF-16 code units, as LINE does (developers.line.biz/en/docs/messaging-api/text-character-count/).
 */
const DOCUMENTED_LIMITS: Array<[schema: string, property: string, rule: Json]> = [
  ['PushMessageRequest', 'to', { pattern: CHAT_ID.source }],
  ['TextMessage', 'text', { minLength: 1, maxLength: 5000 }],
  ['TextMessageV2', 'text', { minLength: 1, maxLength: 5000 }],
  ['ImageMessage', 'originalContentUrl', { pattern: HTTPS, maxLength: 2000 }],
  ['ImageMessage', 'previewImageUrl', { pattern: HTTPS, maxLength: 2000 }],
  ['VideoMessage', 'originalContentUrl', { pattern: HTTPS, maxLength: 2000 }],
  ['VideoMessage', 'previewImageUrl', { pattern: HTTPS, maxLength: 2000 }],
  ['AudioMessage', 'originalContentUrl', { pattern: HTTPS, maxLength: 2000 }],
  ['LocationMessage', 'title', { minLength: 1, maxLength: 100 }],
  ['LocationMessage', 'address', { minLength: 1, maxLength: 100 }],
  ['FlexMessage', 'altText', { minLength: 1, maxLength: 1500 }],
  ['TemplateMessage', 'altText', { minLength: 1, maxLength: 400 }],
  ['ImagemapMessage', 'altText', { minLength: 1, maxLength: 400 }],
  ['ShowLoadingAnimationRequest', 'chatId', { pattern: USER_ID.source, 'x-messages': { pattern: ONLY_USER_ID } }],
  ['ShowLoadingAnimationRequest', 'loadingSeconds', { multipleOf: 5 }],
  ['SetWebhookEndpointRequest', 'endpoint', { pattern: HTTPS }],
  ['TestWebhookEndpointRequest', 'endpoint', { pattern: HTTPS }],
];

/** Messages for patterns; `x-messages` in a rule overrides the message per keyword. */
const PATTERN_MESSAGES: Record<string, string> = {
  [USER_ID.source]: 'Must be a user id (U followed by 32 hex digits)',
  [CHAT_ID.source]: 'Must be a user, group or room id (U, C or R followed by 32 hex digits)',
  [HTTPS]: 'Must be an HTTPS URL',
};

const FORMATS: Record<string, RegExp | { type: 'number'; validate: (n: number) => boolean }> = {
  uri: /^[a-z][a-z0-9+.-]*:\S+$/i,
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  'date-time': /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$/i,
  int32: { type: 'number', validate: (n) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 },
  int64: { type: 'number', validate: (n) => Number.isInteger(n) },
};

/** Rewrites a spec's component schemas as described above. `closed`: a discriminator value outside the mapping is a violation. */
export function prepareSchemas(spec: Json, closed: boolean): Json {
  const schemas: Json = structuredClone(spec.components.schemas);
  walk(schemas, fixNullable);
  const parents = Object.keys(schemas).filter((n) => schemas[n].discriminator?.mapping);
  for (const name of parents) {
    const { discriminator, ...base } = schemas[name];
    const prop: string = discriminator.propertyName;
    const mapping = discriminator.mapping as Record<string, string>;
    schemas[`${name}__base`] = base;
    schemas[name] = {
      allOf: [
        { $ref: `#/components/schemas/${name}__base` },
        ...(closed ? [{ properties: { [prop]: { enum: Object.keys(mapping) } } }] : []),
        ...Object.entries(mapping).map(([value, target]) => ({
          if: { properties: { [prop]: { const: value } }, required: [prop] },
          then: { $ref: target },
        })),
      ],
    };
  }
  const inherits = new Set(parents.map((n) => `#/components/schemas/${n}`));
  for (const schema of Object.values(schemas) as Json[]) {
    for (const part of schema.allOf ?? []) {
      if (inherits.has(part.$ref)) part.$ref += '__base';
    }
  }
  return schemas;
}

function walk(node: unknown, visit: (n: Json) => void): void {
  if (Array.isArray(node)) return node.forEach((n) => walk(n, visit));
  if (node === null || typeof node !== 'object') return;
  visit(node as Json);
  for (const v of Object.values(node)) walk(v, visit);
}

/** OpenAPI 3.0 `nullable: true` is JSON Schema `type: [t, 'null']`. */
function fixNullable(n: Json): void {
  if (n.nullable !== true) return;
  delete n.nullable;
  if (typeof n.type === 'string') n.type = [n.type, 'null'];
  if (Array.isArray(n.enum) && !n.enum.includes(null)) n.enum.push(null);
}

function applyLimits(schemas: Json): void {
  for (const [schema, property, rule] of DOCUMENTED_LIMITS) {
    const s = schemas[schema];
    const holder = [s, ...(s?.allOf ?? [])].find((p: Json) => p?.properties?.[property] && !p.properties[property].$ref);
    if (!holder) throw new Error(`line-schema.json: ${schema}.${property} not found (did the spec change?)`);
    Object.assign(holder.properties[property], rule);
  }
}

function formatsIn(schemas: Json): Set<string> {
  const found = new Set<string>();
  walk(schemas, (n) => typeof n.format === 'string' && found.add(n.format));
  return found;
}

const quietLogger = {
  log: console.log,
  warn: (...args: unknown[]) => String(args[0]).startsWith('DEPRECATED: option unicode') || console.warn(...args),
  error: console.error,
};

function buildAjv(id: string, schemas: Json): Ajv {
  // unicode:false: maxLength counts UTF-16 code units, like LINE (ajv marks the option deprecated but honours it).
  // strict:false: OpenAPI keywords (example, externalDocs, …) are ignored.
  const ajv = new Ajv({ strict: false, allErrors: true, verbose: true, unicode: false, logger: quietLogger });
  for (const f of formatsIn(schemas)) ajv.addFormat(f, FORMATS[f] ?? true);
  ajv.addSchema({ $id: id, components: { schemas } } as AnySchemaObject);
  return ajv;
}

function makeCompiler(id: string, spec: Json, closed: boolean, limits: boolean): (name: string) => ValidateFunction {
  let ajv: Ajv | undefined;
  const cache = new Map<string, ValidateFunction>();
  return (name) => {
    const cached = cache.get(name);
    if (cached) return cached;
    if (!ajv) {
      const schemas = prepareSchemas(spec, closed);
      if (limits) applyLimits(schemas);
      ajv = buildAjv(id, schemas);
    }
    if (!ajv.getSchema(`${id}#/components/schemas/${name}`)) throw new Error(`${id}: no schema named ${name}`);
    const fn = ajv.compile({ $ref: `${id}#/components/schemas/${name}` });
    cache.set(name, fn);
    return fn;
  };
}

const requestValidator = makeCompiler('line-messaging-api', messagingApi as Json, true, true);
const webhookValidator = makeCompiler('line-webhook', webhookApi as Json, false, false);

/** `/messages/0/text` -> `messages[0].text` (LINE's `property` notation). */
function propertyOf(e: ErrorObject): string {
  const parts = e.instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (e.keyword === 'required') parts.push(String(e.params.missingProperty));
  return parts.reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
}

function between(e: ErrorObject, lo: string, hi: string, what: string): string {
  const s = (e.parentSchema ?? {}) as Json;
  const min = s[lo] ?? (lo === 'minimum' ? undefined : 0);
  const max = s[hi];
  if (min !== undefined && min === max) return `${what} ${min}`;
  if (min !== undefined && max !== undefined) return `${what} between ${min} and ${max}`;
  return min !== undefined ? `${what} at least ${min}` : `${what} at most ${max}`;
}

function messageOf(e: ErrorObject): string {
  const p = e.params as Json;
  const own = (e.parentSchema as Json | undefined)?.['x-messages']?.[e.keyword];
  if (typeof own === 'string') return own;
  switch (e.keyword) {
    case 'required': return 'Must be specified';
    case 'type': return `Must be of type ${p.type}`;
    case 'enum': return `Must be one of the following values: [${(p.allowedValues as unknown[]).join(', ')}]`;
    case 'const': return `Must be ${JSON.stringify(p.allowedValue)}`;
    case 'pattern': return PATTERN_MESSAGES[p.pattern] ?? `Must match ${p.pattern}`;
    case 'format': return `Must be a valid ${p.format}`;
    case 'multipleOf': return `Must be a multiple of ${p.multipleOf}`;
    case 'minimum': case 'maximum': return between(e, 'minimum', 'maximum', 'Must be');
    case 'minLength': return Number(p.limit) === 1 ? 'May not be empty' : between(e, 'minLength', 'maxLength', 'Length must be');
    case 'maxLength': return between(e, 'minLength', 'maxLength', 'Length must be');
    case 'minItems': case 'maxItems': return between(e, 'minItems', 'maxItems', 'Size must be');
    default: return e.message ?? e.keyword;
  }
}

function toViolations(errors: ErrorObject[] | null | undefined): LineViolation[] {
  const seen = new Set<string>();
  const out: LineViolation[] = [];
  for (const e of errors ?? []) {
    if (e.keyword === 'if') continue; // "must match then": the error inside `then` says what is wrong
    const v = { message: messageOf(e), property: propertyOf(e) }; // LINE's key order
    const key = `${v.property}\u0000${v.message}`;
    if (!seen.has(key)) out.push(v), seen.add(key);
  }
  return out;
}

const asText = (v: LineViolation): string => `${v.property || '(body)'}: ${v.message}`;

/** Violations of a Messaging API request body as LINE's 400 `details` list them ({message, property}). */
export function checkLineRequest(schemaName: string, body: unknown): LineViolation[] {
  const validate = requestValidator(schemaName);
  return validate(body) ? [] : toViolations(validate.errors);
}

/** Readable violations of a Messaging API request body (a schema of messaging-api.yml); empty when valid. */
export function validateLineRequest(schemaName: string, body: unknown): string[] {
  return checkLineRequest(schemaName, body).map(asText);
}

/** Readable violations of a webhook body (CallbackRequest of webhook.yml); empty when valid. Unknown event types pass. */
export function validateLineWebhook(body: unknown): string[] {
  const validate = webhookValidator('CallbackRequest');
  return validate(body) ? [] : toViolations(validate.errors).map(asText);
}
