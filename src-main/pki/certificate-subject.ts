import type { SubjectFields } from '../common/requests.js';
import type { Certificate } from './certificate.js';
import { parseDer } from './der.js';
import { decodeName } from './general-names.js';
import { OID } from './oids.js';

/**
 * The subject fields a request carries (CN, O, OU, L, ST, C), copied from an existing certificate:
 * for adopting a PFX and for `request new --from-certificate`. The last value of each attribute
 * wins, as for the CN elsewhere; attributes a request cannot carry are left out. A certificate
 * without a CN (allowed when it has SANs) takes its first DNS name as the CN, because the request
 * profile needs one and the procedure makes it a SAN anyway.
 */
export function subjectFieldsOf(c: Certificate): SubjectFields {
  const attrs = decodeName(parseDer(c.subjectDer, 'the certificate subject'), 'the certificate subject');
  const last = (oid: string): string | undefined => attrs.filter((a) => a.oid === oid && !a.value.startsWith('#')).at(-1)?.value;
  const fields: SubjectFields = { commonName: last(OID.commonName) ?? c.dnsNames[0] ?? '' };
  const put = (key: Exclude<keyof SubjectFields, 'commonName'>, oid: string): void => {
    const v = last(oid);
    if (v !== undefined && v.trim() !== '') fields[key] = v;
  };
  put('organization', OID.organizationName);
  put('organizationalUnit', OID.organizationalUnitName);
  put('locality', OID.localityName);
  put('state', OID.stateOrProvinceName);
  put('country', OID.countryName);
  return fields;
}
