import type { CsrAttribute, MsAttributes, MsClientInfo, MsEnrollmentCsp } from '../common/csr.js';
import { isCertdeskError } from '../common/errors.js';
import { type DerNode, Tag, describeTag, expectTag, isStringNode, readBitString, readOid, readSmallInteger, readString, toHex } from './der.js';
import { type DecodedExtensions, decodeExtensions } from './extensions.js';
import { ATTRIBUTE_NAMES, OID } from './oids.js';

/** What the attributes of a CertificationRequestInfo say. */
export interface DecodedAttributes {
  attributes: CsrAttribute[];
  /** From extensionRequest (or Microsoft's older 1.3.6.1.4.1.311.2.1.14); null when absent. */
  extensions: DecodedExtensions | null;
  challengePassword: boolean;
  microsoft: MsAttributes;
  /** Attributes that could not be decoded, as plain sentences. */
  problems: string[];
}

function enrollmentCsp(v: DerNode | undefined, what: string): MsEnrollmentCsp {
  const [spec, name, sig] = expectTag(v, Tag.SEQUENCE, what).children;
  const keySpec = readSmallInteger(spec, what);
  return {
    keySpec,
    keySpecName: keySpec === 1 ? 'exchange' : keySpec === 2 ? 'signature' : 'unknown',
    cspName: name ? readString(name, what) : '',
    signatureBytes: sig ? readBitString(sig, what).bytes.length : 0,
  };
}

function clientInfo(v: DerNode | undefined, what: string): MsClientInfo {
  const [id, machine, user, proc] = expectTag(v, Tag.SEQUENCE, what).children;
  const text = (n: DerNode | undefined) => (n ? readString(n, what) : '');
  return { clientId: readSmallInteger(id, what), machine: text(machine), user: text(user), process: text(proc) };
}

/** EnrollmentNameValuePair ::= SEQUENCE { name BMPString, value BMPString }; some writers nest a SEQUENCE OF. */
function nameValuePairs(v: DerNode | undefined, what: string): { name: string; value: string }[] {
  const seq = expectTag(v, Tag.SEQUENCE, what);
  if (seq.children.every((c) => c.tagNumber === Tag.SEQUENCE)) return seq.children.flatMap((c) => nameValuePairs(c, what));
  const [name, value] = seq.children;
  return [{ name: readString(name, what), value: value ? readString(value, what) : '' }];
}

function summarize(v: DerNode): string {
  if (isStringNode(v)) return readString(v, 'attribute');
  return `${describeTag(v)}, ${v.raw.length} bytes: ${toHex(v.raw.subarray(0, 32))}${v.raw.length > 32 ? '...' : ''}`;
}

/** Decodes the `[0] attributes` of a CertificationRequestInfo (absent = none). */
export function decodeAttributes(node: DerNode | undefined, what: string): DecodedAttributes {
  const out: DecodedAttributes = {
    attributes: [],
    extensions: null,
    challengePassword: false,
    microsoft: { osVersion: null, clientInfo: null, enrollmentCsp: null, nameValuePairs: [] },
    problems: [],
  };
  for (const attr of node?.children ?? []) {
    const [typeNode, valuesNode] = expectTag(attr, Tag.SEQUENCE, what).children;
    const oid = readOid(typeNode, what);
    const values = expectTag(valuesNode, Tag.SET, what).children;
    const name = ATTRIBUTE_NAMES[oid] ?? null;
    const entry: CsrAttribute = { oid, name, values: [] };
    const inner = `${what} (attribute ${name ?? oid})`;
    try {
      entry.values = decodeOne(oid, values, inner, out);
    } catch (e) {
      if (!isCertdeskError(e)) throw e;
      entry.values = [`(malformed: ${e.message})`];
      out.problems.push(`the attribute ${name ?? oid} is malformed`);
    }
    out.attributes.push(entry);
  }
  return out;
}

function decodeOne(oid: string, values: DerNode[], what: string, out: DecodedAttributes): string[] {
  const first = values[0];
  switch (oid) {
    case OID.extensionRequest:
    case OID.msExtensionRequest: {
      const ext = decodeExtensions(first, what);
      if (out.extensions) out.problems.push('the request carries more than one extension request; only the first is used');
      else out.extensions = ext;
      return [`${ext.extensions.length} extension(s), listed under Request Extensions`];
    }
    case OID.challengePassword:
      // Never decoded or shown: it is a secret shared with the CA.
      out.challengePassword = true;
      return ['(present, not shown)'];
    case OID.msOsVersion:
      out.microsoft.osVersion = readString(first, what);
      return [out.microsoft.osVersion];
    case OID.msClientInfo: {
      const c = clientInfo(first, what);
      out.microsoft.clientInfo = c;
      return [`Client Id: ${c.clientId}`, `Machine: ${c.machine}`, `User: ${c.user}`, `Process: ${c.process}`];
    }
    case OID.msEnrollmentCsp: {
      const c = enrollmentCsp(first, what);
      out.microsoft.enrollmentCsp = c;
      return [`KeySpec = ${c.keySpec}`, `Provider = ${c.cspName}`, `Signature: ${c.signatureBytes} bytes`];
    }
    case OID.msEnrollmentNameValuePair: {
      const pairs = values.flatMap((v) => nameValuePairs(v, what));
      out.microsoft.nameValuePairs.push(...pairs);
      return pairs.map((p) => `${p.name}: ${p.value}`);
    }
    default:
      return values.map(summarize);
  }
}
