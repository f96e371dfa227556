import type { Command } from '../command.js';
import { CA_COMMANDS } from './ca.js';
import { CERT_COMMANDS } from './cert.js';
import { CSR_COMMANDS } from './csr.js';
import { EXPORT_COMMANDS } from './export.js';
import { IMPORT_COMMANDS } from './import.js';
import { PASSWORD_COMMANDS } from './password.js';
import { AUDIT_COMMANDS } from './audit.js';
import { BACKUP_COMMANDS } from './backup.js';
import { BUNDLE_COMMANDS } from './bundle.js';
import { DEPLOY_COMMANDS } from './deploy.js';
import { DRIVES_COMMANDS } from './drives.js';
import { EXPIRY_COMMANDS } from './expiry.js';
import { FARM_COMMANDS } from './farm.js';
import { PFX_COMMANDS } from './pfx.js';
import { PLAN_COMMANDS } from './plan.js';
import { PROXY_CONFIG_COMMANDS } from './proxy-config.js';
import { REQUEST_COMMANDS } from './request.js';
import { REQUEST_RENEW_COMMANDS } from './request-renew.js';
import { TOPOLOGY_COMMANDS } from './topology.js';
import { UI_COMMANDS } from './ui.js';

/** Every sub-command, in the order `certdesk --help` lists them. */
export const COMMANDS: Command[] = [...PLAN_COMMANDS, ...TOPOLOGY_COMMANDS, ...REQUEST_COMMANDS, ...REQUEST_RENEW_COMMANDS, ...CSR_COMMANDS, ...CERT_COMMANDS, ...IMPORT_COMMANDS, ...PFX_COMMANDS, ...CA_COMMANDS, ...EXPORT_COMMANDS, ...PASSWORD_COMMANDS, ...FARM_COMMANDS, ...DRIVES_COMMANDS, ...BUNDLE_COMMANDS, ...DEPLOY_COMMANDS, ...EXPIRY_COMMANDS, ...PROXY_CONFIG_COMMANDS, ...BACKUP_COMMANDS, ...AUDIT_COMMANDS, ...UI_COMMANDS];
