/**
 * Test-only harness over the official Stellantis OpenAPI specs (../shared/stellantis-api/).
 *
 * The published specs are not strictly valid OpenAPI: responses and path items sometimes `$ref`
 * into a non-standard `#/x-fragment/...` section, content-type keys carry trailing spaces, and
 * schemas use formats such as `dateTime` that no validator knows. This harness resolves those refs
 * by hand and hands every schema to ajv by JSON pointer into the parsed document, so internal
 * `#/components/...` refs resolve as written.
 *
 * Semantics:
 * - request bodies are checked "closed": a property that no schema along the way declares is a
 *   problem (we author requests, so an undeclared field is a mistake);
 * - responses, webhook messages and `validateSchema` follow plain JSON Schema (unknown fields allowed,
 *   as the spec tells readers), unless `{ closed: true }` is passed.
 * Every function returns human-readable problems, [] when valid.
 */
import * as fs from 'fs';
import * as path from 'path';
import YAML from 'yaml';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

export type SpecFlavour = 'b2c' | 'b2b';

export interface SchemaCheckOptions {
  /** Report properties that no schema declares (default false). */
  closed?: boolean;
}

export interface SpecCheck {
  validateRequest(method: string, path: string, query: Record<string, unknown>, body?: unknown): string[];
  validateResponse(method: string, path: string, status: number, body: unknown): string[];
  validateSchema(schemaName: string, value: unknown, opts?: SchemaCheckOptions): string[];
}

export interface WebhookEnums {
  remoteType: string[];
  pendingStatus: string[];
  doneStatus: string[];
  failureCause: string[];
  feedbackDetail: string[];
  monitorData: string[];
  messageType: string[];
}

export interface WebhookSpec {
  /** Validates one `Message`, or a batch (array) of them. */
  validateMessage(value: unknown, opts?: SchemaCheckOptions): string[];
  enums: WebhookEnums;
}

export const SPEC_DIR = path.resolve(__dirname, '../../../shared/stellantis-api');

const SPEC_FILES: Record<SpecFlavour | 'webhook', string> = {
  b2c: 'api-b2c.yaml',
  b2b: 'api-b2b.yaml',
  webhook: 'api-b2c-webhook-template.yaml',
};

/** Parameters the gateway adds to every call, never declared per operation. */
const GATEWAY_QUERY_PARAMS = new Set(['client_id']);

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function escapePointerSegment(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function unescapePointerSegment(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** A node of the spec document together with its JSON pointer (without the leading '#'). */
interface Located {
  node: unknown;
  pointer: string;
}

/**
 * Two typos of the published files, repaired once for every check: a `$ref` written
 * `#components/...` (no slash), and regex `pattern`s wrapped in literal double quotes
 * (MonitorTrigger.name), which no real value could match.
 */
function repairPublishedQuirks(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(repairPublishedQuirks);
    return;
  }
  if (!isObject(node)) return;
  if (typeof node.$ref === 'string' && node.$ref.startsWith('#components/')) node.$ref = `#/${node.$ref.slice(1)}`;
  if (typeof node.pattern === 'string' && /^".*"$/.test(node.pattern)) node.pattern = node.pattern.slice(1, -1);
  Object.values(node).forEach(repairPublishedQuirks);
}

class SpecDocument {
  readonly doc: Json;
  readonly docId: string;
  private readonly ajvPlain: Ajv;
  private readonly ajvCoercing: Ajv;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(file: string) {
    const text = fs.readFileSync(path.join(SPEC_DIR, file), 'utf8');
    const parsed: unknown = YAML.parse(text);
    if (!isObject(parsed)) throw new Error(`${file}: not a YAML mapping`);
    repairPublishedQuirks(parsed);
    this.doc = parsed;
    this.docId = `https://spec.local/${file.replace(/\.yaml$/, '')}.json`;
    this.ajvPlain = this.makeAjv(false);
    this.ajvCoercing = this.makeAjv(true);
  }

  private makeAjv(coerce: boolean): Ajv {
    const ajv = new Ajv({
      strict: false,
      allErrors: true,
      validateSchema: false,
      logger: false,
      coerceTypes: coerce ? 'array' : false,
    });
    addFormats(ajv);
    ajv.addSchema(this.doc, this.docId);
    return ajv;
  }

  /** Follows one JSON pointer ('/a/b') inside the document. */
  at(pointer: string): unknown {
    let node: unknown = this.doc;
    for (const raw of pointer.split('/').slice(1)) {
      const key = unescapePointerSegment(raw);
      if (Array.isArray(node)) node = node[Number(key)];
      else if (isObject(node)) node = node[key];
      else return undefined;
    }
    return node;
  }

  child(located: Located, key: string | number): Located {
    const node = located.node;
    let value: unknown;
    if (Array.isArray(node)) value = node[Number(key)];
    else if (isObject(node)) value = node[String(key)];
    return { node: value, pointer: `${located.pointer}/${escapePointerSegment(String(key))}` };
  }

  /** Follows `$ref`s (including the non-standard `#/x-fragment/...` ones) until a plain node. */
  deref(located: Located): Located {
    let current = located;
    for (let hops = 0; hops < 20; hops++) {
      const node = current.node;
      if (!isObject(node) || typeof node.$ref !== 'string') return current;
      const ref = node.$ref;
      if (!ref.startsWith('#/')) throw new Error(`external $ref not supported: ${ref}`);
      const pointer = ref.slice(1);
      current = { node: this.at(pointer), pointer };
    }
    throw new Error(`$ref loop at ${located.pointer}`);
  }

  /** ajv validator for the schema found at `pointer`; `coerce` for string-typed parameters. */
  validatorAt(pointer: string, coerce: boolean): ValidateFunction {
    const key = `${coerce ? 'c' : 'p'}${pointer}`;
    let validate = this.compiled.get(key);
    if (!validate) {
      const fragment = pointer.split('/').map((s) => encodeURIComponent(s)).join('/');
      const ref = `${this.docId}#${fragment}`;
      const ajv = coerce ? this.ajvCoercing : this.ajvPlain;
      validate = coerce
        ? ajv.compile({ type: 'object', properties: { value: { $ref: ref } } })
        : ajv.compile({ $ref: ref });
      this.compiled.set(key, validate);
    }
    return validate;
  }

  schemaPointer(schemaName: string): string | undefined {
    const schemas = (this.doc.components as Json | undefined)?.schemas;
    if (!isObject(schemas) || !(schemaName in schemas)) return undefined;
    return `/components/schemas/${escapePointerSegment(schemaName)}`;
  }

  /** Validates `value` against the schema at `pointer`; problems are prefixed with `label`. */
  check(pointer: string, value: unknown, label: string, closed: boolean): string[] {
    const validate = this.validatorAt(pointer, false);
    const problems = validate(value) ? [] : formatErrors(validate.errors ?? [], label);
    if (closed) problems.push(...this.undeclaredProperties({ node: this.at(pointer), pointer }, value, label));
    return problems;
  }

  /**
   * Properties of `value` that no schema declares, walking allOf/oneOf/anyOf as one union (lenient:
   * a property declared in any branch counts as declared). Objects without `properties`, or with
   * `additionalProperties` other than false, are open.
   */
  undeclaredProperties(schema: Located, value: unknown, at: string): string[] {
    return this.walkUndeclared([schema], value, at, 0);
  }

  private flatten(schemas: Located[]): Located[] {
    const out: Located[] = [];
    const visit = (located: Located, depth: number): void => {
      if (depth > 30) return;
      const resolved = this.deref(located);
      if (!isObject(resolved.node)) return;
      out.push(resolved);
      for (const combiner of ['allOf', 'oneOf', 'anyOf']) {
        const branches = resolved.node[combiner];
        if (Array.isArray(branches)) {
          const list = this.child(resolved, combiner);
          branches.forEach((_b, i) => visit(this.child(list, i), depth + 1));
        }
      }
    };
    schemas.forEach((s) => visit(s, 0));
    return out;
  }

  private walkUndeclared(schemas: Located[], value: unknown, at: string, depth: number): string[] {
    if (depth > 30) return [];
    const flat = this.flatten(schemas);
    if (Array.isArray(value)) {
      const items = flat.filter((s) => isObject((s.node as Json).items)).map((s) => this.child(s, 'items'));
      if (items.length === 0) return [];
      return value.flatMap((item, i) => this.walkUndeclared(items, item, `${at}/${i}`, depth + 1));
    }
    if (!isObject(value)) return [];
    const declared = new Map<string, Located[]>();
    let open = false;
    for (const s of flat) {
      const node = s.node as Json;
      if (node.additionalProperties !== undefined && node.additionalProperties !== false) open = true;
      if (isObject(node.properties)) {
        const props = this.child(s, 'properties');
        for (const name of Object.keys(node.properties)) {
          const list = declared.get(name) ?? [];
          list.push(this.child(props, name));
          declared.set(name, list);
        }
      }
    }
    if (declared.size === 0) open = true;
    const problems: string[] = [];
    for (const [name, child] of Object.entries(value)) {
      const where = `${at}/${name}`;
      const schemasForName = declared.get(name);
      if (!schemasForName) {
        if (!open) problems.push(`${where}: property '${name}' is not declared by the spec`);
        continue;
      }
      problems.push(...this.walkUndeclared(schemasForName, child, where, depth + 1));
    }
    return problems;
  }
}

function formatErrors(errors: ErrorObject[], label: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const e of errors) {
    const where = `${label}${e.instancePath}`;
    let message = `${where}: ${e.message ?? 'is invalid'}`;
    const params = e.params as Record<string, unknown>;
    if (e.keyword === 'enum' && Array.isArray(params.allowedValues)) {
      message = `${where}: must be one of ${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    } else if (e.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
      message = `${where}: unexpected property '${params.additionalProperty}'`;
    } else if (e.keyword === 'required' && typeof params.missingProperty === 'string') {
      message = `${where}: missing required property '${params.missingProperty}'`;
    }
    if (!seen.has(message)) {
      seen.add(message);
      out.push(message);
    }
  }
  return out;
}

interface OperationMatch {
  operation: Located;
  pathItem: Located;
  template: string;
  pathParams: Record<string, string>;
}

function splitPath(p: string): string[] {
  return p.split('?')[0].split('/').filter((s) => s.length > 0);
}

function pickContentSchema(doc: SpecDocument, holder: Located): Located | undefined {
  const content = doc.child(holder, 'content');
  if (!isObject(content.node)) return undefined;
  const types = Object.keys(content.node);
  const preferred = types.find((t) => /json/i.test(t)) ?? types[0];
  if (preferred === undefined) return undefined;
  const schema = doc.child(doc.child(content, preferred), 'schema');
  return schema.node === undefined ? undefined : schema;
}

class OpenApiCheck implements SpecCheck {
  constructor(private readonly doc: SpecDocument) {}

  private findOperation(method: string, concretePath: string): OperationMatch | string {
    const wanted = splitPath(concretePath);
    const paths: Located = { node: this.doc.doc.paths, pointer: '/paths' };
    if (!isObject(paths.node)) return 'spec has no paths';
    let best: { match: OperationMatch; literal: number } | undefined;
    for (const template of Object.keys(paths.node)) {
      const segments = splitPath(template);
      if (segments.length !== wanted.length) continue;
      const params: Record<string, string> = {};
      let literal = 0;
      let ok = true;
      segments.forEach((seg, i) => {
        const m = /^\{(.+)\}$/.exec(seg);
        if (m) params[m[1]] = decodeURIComponent(wanted[i]);
        else if (seg === wanted[i]) literal++;
        else ok = false;
      });
      if (!ok) continue;
      const pathItem = this.doc.deref(this.doc.child(paths, template));
      const operation = this.doc.child(pathItem, method.toLowerCase());
      if (!isObject(operation.node)) continue;
      if (!best || literal > best.literal) {
        best = { match: { operation, pathItem, template, pathParams: params }, literal };
      }
    }
    if (best) return best.match;
    const known = HTTP_METHODS.includes(method.toLowerCase()) ? '' : ` (unknown HTTP method)`;
    return `no such operation ${method.toUpperCase()} ${concretePath}${known}`;
  }

  private parametersOf(match: OperationMatch): Array<{ located: Located; name: string; in: string; required: boolean }> {
    const out = new Map<string, { located: Located; name: string; in: string; required: boolean }>();
    for (const holder of [match.pathItem, match.operation]) {
      const list = this.doc.child(holder, 'parameters');
      if (!Array.isArray(list.node)) continue;
      list.node.forEach((_p, i) => {
        const located = this.doc.deref(this.doc.child(list, i));
        const node = located.node;
        if (!isObject(node) || typeof node.name !== 'string' || typeof node.in !== 'string') return;
        out.set(`${node.in}:${node.name}`, { located, name: node.name, in: node.in, required: node.required === true || node.in === 'path' });
      });
    }
    return [...out.values()];
  }

  private checkParameter(located: Located, value: unknown, label: string): string[] {
    const schema = this.doc.child(located, 'schema');
    if (schema.node === undefined) return [];
    const validate = this.doc.validatorAt(schema.pointer, true);
    const wrapper = { value };
    if (validate(wrapper)) return [];
    return formatErrors(validate.errors ?? [], label).map((m) => m.replace(`${label}/value`, label));
  }

  validateRequest(method: string, concretePath: string, query: Record<string, unknown>, body?: unknown): string[] {
    const match = this.findOperation(method, concretePath);
    if (typeof match === 'string') return [match];
    const op = `${method.toUpperCase()} ${match.template}`;
    const problems: string[] = [];
    const params = this.parametersOf(match);
    for (const p of params) {
      if (p.in === 'path') {
        const value = match.pathParams[p.name];
        if (value === undefined || value === '') problems.push(`${op}: path parameter '${p.name}' is missing`);
        else problems.push(...this.checkParameter(p.located, value, `path parameter '${p.name}'`));
      } else if (p.in === 'query') {
        const value = query[p.name];
        if (value === undefined) {
          if (p.required) problems.push(`${op}: required query parameter '${p.name}' is missing`);
        } else {
          problems.push(...this.checkParameter(p.located, value, `query parameter '${p.name}'`));
        }
      }
    }
    const declaredQuery = new Set(params.filter((p) => p.in === 'query').map((p) => p.name));
    for (const [name, value] of Object.entries(query)) {
      if (value === undefined || GATEWAY_QUERY_PARAMS.has(name) || declaredQuery.has(name)) continue;
      problems.push(`${op}: unknown query parameter '${name}'`);
    }
    const requestBody = this.doc.deref(this.doc.child(match.operation, 'requestBody'));
    const bodySchema = requestBody.node === undefined ? undefined : pickContentSchema(this.doc, requestBody);
    if (bodySchema) {
      if (body === undefined) problems.push(`${op}: request body is missing`);
      else problems.push(...this.doc.check(bodySchema.pointer, body, 'body', true));
    } else if (body !== undefined) {
      problems.push(`${op}: takes no request body`);
    }
    return problems;
  }

  validateResponse(method: string, concretePath: string, status: number, body: unknown): string[] {
    const match = this.findOperation(method, concretePath);
    if (typeof match === 'string') return [match];
    const op = `${method.toUpperCase()} ${match.template}`;
    const responses = this.doc.child(match.operation, 'responses');
    if (!isObject(responses.node)) return [`${op}: the spec documents no responses`];
    const key = [String(status), `${String(status)[0]}XX`, 'default'].find((k) => isObject((responses.node as Json)[k]));
    if (key === undefined) {
      return [`${op}: status ${status} is not documented (documented: ${Object.keys(responses.node).join(', ')})`];
    }
    const response = this.doc.deref(this.doc.child(responses, key));
    const schema = pickContentSchema(this.doc, response);
    if (!schema) return [];
    if (body === undefined || body === '') return [`${op} ${status}: response body is missing`];
    return this.doc.check(schema.pointer, body, `response ${status}`, false);
  }

  validateSchema(schemaName: string, value: unknown, opts: SchemaCheckOptions = {}): string[] {
    const pointer = this.doc.schemaPointer(schemaName);
    if (pointer === undefined) return [`no schema named '${schemaName}' in the spec`];
    return this.doc.check(pointer, value, schemaName, opts.closed === true);
  }
}

const documents = new Map<string, SpecDocument>();

function documentFor(kind: SpecFlavour | 'webhook'): SpecDocument {
  let doc = documents.get(kind);
  if (!doc) {
    doc = new SpecDocument(SPEC_FILES[kind]);
    documents.set(kind, doc);
  }
  return doc;
}

const checks = new Map<SpecFlavour, SpecCheck>();

/** The checker for one API flavour (parsed and compiled once, then cached). */
export function specFor(flavour: SpecFlavour): SpecCheck {
  let check = checks.get(flavour);
  if (!check) {
    check = new OpenApiCheck(documentFor(flavour));
    checks.set(flavour, check);
  }
  return check;
}

function stringEnum(doc: SpecDocument, pointer: string): string[] {
  const node = doc.deref({ node: doc.at(pointer), pointer }).node;
  if (!isObject(node) || !Array.isArray(node.enum)) throw new Error(`no enum at ${pointer}`);
  return node.enum.map((v) => String(v));
}

let webhook: WebhookSpec | undefined;

/** The webhook notification template: a validator for `Message` and its enums. */
export function webhookSpec(): WebhookSpec {
  if (webhook) return webhook;
  const doc = documentFor('webhook');
  const s = '/components/schemas';
  const enums: WebhookEnums = {
    remoteType: stringEnum(doc, `${s}/RemoteType`),
    pendingStatus: stringEnum(doc, `${s}/RemotePendingEventStatus`),
    doneStatus: stringEnum(doc, `${s}/RemoteDoneEventStatus`),
    failureCause: stringEnum(doc, `${s}/RemoteFailedEventStatus`),
    feedbackDetail: stringEnum(doc, `${s}/RemoteEventFeedbackDetail`),
    monitorData: stringEnum(doc, `${s}/MonitorEvent/properties/values/items/properties/data`),
    messageType: stringEnum(doc, `${s}/Message/properties/type`),
  };
  const messagePointer = `${s}/Message`;
  webhook = {
    enums,
    validateMessage(value: unknown, opts: SchemaCheckOptions = {}): string[] {
      const closed = opts.closed === true;
      if (Array.isArray(value)) {
        if (value.length === 0) return ['batch: empty array'];
        return value.flatMap((m, i) => doc.check(messagePointer, m, `Message[${i}]`, closed));
      }
      return doc.check(messagePointer, value, 'Message', closed);
    },
  };
  return webhook;
}
