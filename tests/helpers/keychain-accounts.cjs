'use strict';
// Prints, as JSON, the sorted accounts of the keychain's "Certdesk" entries that start with argv[2].
// It asks gnome-keyring over D-Bus for the items and then each item's attributes, and skips an item
// that is gone by the time it is asked about: test files run in parallel against one keychain and
// delete their entries at any moment. keytar's findCredentials is not used because it also reads
// every secret, and an entry deleted in between makes it fail ("No such secret item at path") or,
// when libsecret hands back no value, crash in keytar's native code (SIGSEGV).
const { execFileSync } = require('node:child_process');

function gdbus(objectPath, method, ...args) {
  return execFileSync('gdbus', ['call', '--session', '--dest', 'org.freedesktop.secrets', '--object-path', objectPath, '--method', method, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

const prefix = process.argv[2] ?? '';
// SearchItems answers (unlocked paths, locked paths); the test keyring is unlocked.
const found = gdbus('/org/freedesktop/secrets', 'org.freedesktop.Secret.Service.SearchItems', "{'service': 'Certdesk'}");
const accounts = [];
for (const [, item] of found.matchAll(/'(\/org\/freedesktop\/secrets\/collection\/[^']+)'/g)) {
  let attributes;
  try {
    attributes = gdbus(item, 'org.freedesktop.DBus.Properties.Get', 'org.freedesktop.Secret.Item', 'Attributes');
  } catch {
    continue; // deleted since the search
  }
  const account = /'account': '([^'\\]*)'/.exec(attributes)?.[1];
  if (account !== undefined && account.startsWith(prefix)) accounts.push(account);
}
process.stdout.write(JSON.stringify(accounts.sort()));
