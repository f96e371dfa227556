import { proxyRulesComment } from './comments.js';
import { type ProxyConfigInput, LONG_POLL_TIMEOUT_SECONDS, listenOn, proxyFileNames, upstreamAddress } from './input.js';

/**
 * nginx configuration meant for `include` inside `http { }`: one `server` per external name and
 * port, TLS on 443 with the certificate chosen by SNI, plain HTTP on 80; each forwards to its
 * internal target over HTTPS (internal CA verified, name checked against the internal FQDN) or
 * to 8080 over HTTP, with the original Host header, HTTP/1.1, no buffering and a read timeout
 * longer than Lync's 15-minute long polls. Two `default_server`s refuse every other name, so the
 * proxy never forwards a name the plan does not publish.
 */
export function renderNginx(input: ProxyConfigInput): string {
  const f = proxyFileNames(input.subject);
  const dir = input.installDir.replace(/\/+$/, '');
  const L: string[] = [];
  L.push(`# Certdesk reverse-proxy configuration for ${input.subject} (nginx), generated ${input.generatedAt}.`);
  L.push('# Include it inside http { }, e.g. copy it to /etc/nginx/conf.d/ (it has no http, events or pid of its own).');
  L.push(`# Files it reads, in ${dir}/:`);
  L.push(`#   ${f.certificate}  the certificate and its intermediates (PEM)`);
  L.push(`#   ${f.key}  its private key, an ENCRYPTED PKCS#8 PEM (never a plaintext key on the drive)`);
  L.push(`#   ${f.passwordFile}  the key's password (the PFX password) on one line: create it on this node, mode 0600`);
  L.push(`#   ${f.trustedCa}  the internal root CA (and intermediates) that issued the Lync servers' certificates`);
  if (input.certificate === null) {
    L.push('# PLACEHOLDERS: no certificate was chosen when this was generated. Put the issued certificate of');
    L.push(`# ${input.subject} (PEM, with intermediates) in ${dir}/${f.certificate} and its encrypted key in ${dir}/${f.key}.`);
  } else {
    L.push(`# Certificate: thumbprint ${input.certificate.thumbprint}, valid until ${input.certificate.notAfter}.`);
  }
  L.push('# Internal names are resolved when nginx starts: the proxy must resolve them (or map them with --upstream).');
  L.push(...proxyRulesComment(input.rules));
  L.push('');
  const ports = [...new Set(input.rules.map((r) => r.externalPort))];
  for (const r of input.rules) {
    const https = r.protocol === 'https';
    L.push(`# ${r.text}`);
    L.push('server {');
    L.push(`    listen ${listenOn(input, r.externalPort)}${https ? ' ssl' : ''};`);
    L.push(`    server_name ${r.externalName};`);
    if (https) {
      L.push(`    ssl_certificate ${dir}/${f.certificate};`);
      L.push(`    ssl_certificate_key ${dir}/${f.key};`);
      L.push(`    ssl_password_file ${dir}/${f.passwordFile};`);
      L.push('    ssl_protocols TLSv1.2 TLSv1.3;');
    }
    L.push('    location / {');
    // HTTPS rules go to the internal HTTPS port (4443, or 443 for Office Web Apps and Exchange); 80 goes to 8080 in clear.
    const backendHttps = https;
    L.push(`        proxy_pass ${backendHttps ? 'https' : 'http'}://${upstreamAddress(input, r.internalTarget)}:${r.internalPort};`);
    L.push('        proxy_http_version 1.1;');
    L.push('        proxy_set_header Host $host;');
    L.push('        proxy_set_header Connection "";');
    L.push('        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;');
    if (backendHttps) {
      L.push('        proxy_ssl_verify on;');
      L.push(`        proxy_ssl_trusted_certificate ${dir}/${f.trustedCa};`);
      L.push('        proxy_ssl_verify_depth 4;');
      L.push(`        proxy_ssl_name ${r.internalTarget};`);
      L.push('        proxy_ssl_server_name on;');
      L.push('        proxy_ssl_protocols TLSv1.2 TLSv1.3;');
    }
    L.push('        proxy_buffering off;');
    L.push('        proxy_request_buffering off;');
    L.push('        proxy_connect_timeout 10s;');
    L.push(`        proxy_read_timeout ${LONG_POLL_TIMEOUT_SECONDS}s;`);
    L.push(`        proxy_send_timeout ${LONG_POLL_TIMEOUT_SECONDS}s;`);
    L.push('        client_max_body_size 100m;');
    L.push('    }');
    L.push('}');
    L.push('');
  }
  L.push('# Every other name is refused: a TLS handshake for an unknown name is rejected, plain HTTP closed.');
  L.push('# (If this nginx already has a default_server on these ports, remove these two blocks.)');
  if (ports.includes(443)) {
    L.push('server {');
    L.push(`    listen ${listenOn(input, 443)} ssl default_server;`);
    L.push('    server_name _;');
    L.push('    ssl_reject_handshake on;');
    L.push('}');
  }
  if (ports.includes(80)) {
    L.push('server {');
    L.push(`    listen ${listenOn(input, 80)} default_server;`);
    L.push('    server_name _;');
    L.push('    return 444;');
    L.push('}');
  }
  return `${L.join('\n')}\n`;
}
