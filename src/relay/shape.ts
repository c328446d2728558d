/** Checks of an unknown parsed body, each throwing a BodyShapeError that names the field (the validators' vocabulary). */
import { BodyShapeError } from '../errors.js';

export type Obj = Record<string, unknown>;

export function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isString(v: unknown): v is string {
  return typeof v === 'string';
}

export function object(v: unknown, field: string): Obj {
  if (!isObject(v)) throw new BodyShapeError(field, 'an object');
  return v;
}

export function list(v: unknown, field: string): unknown[] {
  if (!Array.isArray(v)) throw new BodyShapeError(field, 'an array');
  return v;
}

export function nonEmptyString(v: unknown, field: string): string {
  if (!isString(v) || v === '') throw new BodyShapeError(field, 'a non-empty string');
  return v;
}

export function optional(v: unknown, field: string, ok: (v: unknown) => boolean, expected: string): void {
  if (v !== undefined && !ok(v)) throw new BodyShapeError(field, expected);
}
