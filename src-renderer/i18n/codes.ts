import type { ErrorCode } from '../../src-main/common/errors.js';
import type { PublishingKind, SanSource } from '../../src-main/common/plan.js';

/**
 * What the services say with stable codes, in each UI language. The services keep their English
 * messages for the CLI and --json; the UI renders findings, errors, SAN reasons, publishing kinds
 * and history events from their codes through these tables (with the finding's subject as its
 * parameter), so a zh-TW admin reads Chinese. tests/unit/renderer/codes.test.ts fails when any
 * code the services can produce has no zh-TW entry here.
 *
 * English: labels for sources, kinds and events; findings and errors use the service's own
 * sentence, which carries more detail (dates, lists) than a code can.
 */
export interface CodeCatalog {
  /** One plain sentence per error code. */
  errors: Record<ErrorCode, string>;
  /** One sentence per finding code; `{subject}` is the name or certificate it is about. */
  findings: Readonly<Record<string, string>>;
  /** Why a SAN is on the certificate. */
  sanSources: Record<SanSource, string>;
  /** What a publishing rule publishes. */
  publishingKinds: Record<PublishingKind, string>;
  /** A request's history event names. */
  historyEvents: Readonly<Record<string, string>>;
}

const enSources: Record<SanSource, string> = {
  subject: 'subject name (the CN must also be a SAN)',
  pool: 'pool external web services',
  director: 'Director external web services',
  meet: 'meeting simple URL',
  dialin: 'dial-in simple URL',
  'office-web-apps': 'Office Web Apps Server',
  lyncdiscover: 'mobility autodiscover (lyncdiscover)',
  edge: 'Edge Server name (combined certificate)',
  'exchange-autodiscover': 'Exchange autodiscover',
  'exchange-web-services': 'Exchange web services',
  extra: 'extra name from the topology',
};

const enKinds: Record<PublishingKind, string> = {
  pool: 'pool web services',
  director: 'Director web services',
  meet: 'meeting simple URL',
  dialin: 'dial-in simple URL',
  lyncdiscover: 'mobility autodiscover',
  'office-web-apps': 'Office Web Apps Server',
  exchange: 'Exchange',
};

const enEvents: Readonly<Record<string, string>> = {
  'key-generated': 'key generated',
  'csr-created': 'CSR created',
  'certificate-imported': 'certificate imported',
  'certificate-chain-updated': 'chain updated',
  'pfx-exported': 'PFX exported',
  'bundle-written': 'bundle written',
  deployed: 'deployed',
  'deployment-verified': 'deployment verified',
  'deployment-undone': 'deployment mark undone',
  'farm-linked': 'linked to a farm',
  'farm-unlinked': 'unlinked from a farm',
  'mismatch-accepted': 'mismatch accepted',
  'proxy-config-written': 'reverse-proxy configuration written',
  'planned-from-topology': 'names planned from a topology',
  'pfx-adopted': 'adopted from a PFX',
  renews: 'renews an earlier request',
  'renewed-by': 'renewed by a new request',
  superseded: 'superseded by its renewal',
  'supersede-undone': 'no longer superseded (a rollout mark was undone)',
};

const enErrors: Record<ErrorCode, string> = {
  INVALID_INPUT: 'The input is not valid.',
  PARSE_ERROR: 'The file could not be read as what it claims to be.',
  NOT_FOUND: 'It was not found.',
  CONFLICT: 'This would overwrite or contradict what is stored.',
  MISMATCH: 'The certificate does not match the request.',
  NOT_EXPORTABLE: 'This request cannot be exported.',
  WEAK_PASSWORD: 'The password is too weak.',
  KEYCHAIN_UNAVAILABLE: 'The OS keychain cannot be reached.',
  KEYCHAIN_LOCKED: 'The OS keychain is locked: unlock the login keyring, then try again.',
  STORE_LOCKED: 'Another Certdesk window or command is writing to the store.',
  STORE_CORRUPT: 'Stored data is damaged.',
  IO_ERROR: 'The disk refused the operation.',
  UNAUTHORIZED: 'Access was refused.',
  INTERNAL: 'Certdesk hit an internal error.',
};

export const codesEn: CodeCatalog = { errors: enErrors, findings: {}, sanSources: enSources, publishingKinds: enKinds, historyEvents: enEvents };

const zhFindings: Readonly<Record<string, string>> = {
  // Name rules (docs/pki.md section 3)
  NAME_EMPTY: '名稱是空的。',
  NAME_NUL: '名稱含有 NUL 字元（常見的憑證偽造手法）：{subject}',
  NAME_FULLWIDTH_DOT: '名稱使用了全形或表意句點（。．｡），請改用「.」：{subject}',
  NAME_LEADING_DOT: '名稱以句點開頭：{subject}',
  NAME_TRAILING_DOT: '名稱以句點結尾（請去掉最後的根句點）：{subject}',
  LABEL_EMPTY: '名稱中有連續兩個句點，某一段標籤是空的：{subject}',
  NAME_UNDERSCORE: '名稱含有底線，主機名稱不允許，CA 也會拒絕：{subject}',
  LABEL_INVALID_CHAR: '標籤含有字母、數字與連字號以外的字元：{subject}',
  LABEL_HYPHEN_EDGE: '標籤以連字號開頭或結尾：{subject}',
  LABEL_RESERVED_HYPHENS: '標籤第 3、4 個字元是「--」但不是 xn-- 國際化標籤（保留格式）：{subject}',
  LABEL_TOO_LONG: '標籤超過 63 個位元組：{subject}',
  NAME_TOO_LONG: '名稱超過 253 個位元組：{subject}',
  IDN_INVALID: '國際化網域名稱格式錯誤：{subject}',
  IDN_CONVERTED: '國際化網域名稱：憑證要求使用 A-label 形式：{subject}',
  NAME_CASE_NORMALIZED: 'DNS 不分大小寫：名稱已改為小寫：{subject}',
  IP_AS_DNSNAME: 'IP 位址不是 DNS 名稱：{subject}',
  NAME_NUMERIC_TLD: '最後一段全是數字，沒有這種頂層網域：{subject}',
  WILDCARD_PLACEMENT: '萬用字元只能是最左邊的整段標籤，例如 *.contoso.com：{subject}',
  WILDCARD_TOO_BROAD: '萬用字元直接位於頂層網域或公用尾碼之下，範圍過大：{subject}',
  WILDCARD_AS_SUBJECT: '萬用字元不能作為主體名稱（CN）：{subject}',
  INTERNAL_NAME: '內部名稱（單一標籤、.local、.lan 等），公用 CA 會拒絕：{subject}',
  CN_TOO_LONG: '主體名稱（CN）超過 64 個字元：{subject}',
  NAME_CN_ADDED_TO_SAN: '主體名稱也必須是主體別名，已自動加入：{subject}',
  DUPLICATE_NAME: '名稱重複列出，只保留一次：{subject}',
  NAME_PUBLIC_SUFFIX: '名稱本身是公用尾碼（例如 com、co.uk、com.tw），任何人都無法取得它的憑證：{subject}',
  SUBJECT_UNDER_PUBLIC_SUFFIX: '主體名稱是直接位於公用尾碼之下的註冊網域，而不是主機名稱（例如 webext.contoso.co.uk）：{subject}',
  // Planner rules (docs/pki.md section 2)
  NO_PUBLISHED_POOL: '沒有任何集區啟用遠端存取，沒有可發佈的服務。',
  POOL_NOT_PUBLISHED: '未啟用遠端存取的集區不會發佈，也不在憑證上：{subject}',
  SUBJECT_POOL_UNKNOWN: '指定作為主體的集區不存在於拓撲中：{subject}',
  // A structural problem of the topology placed under its form field (common/field-problems.ts). The ones a form can
  // cause have their own codes; the rest come from hand-written JSON and keep the validator's English as the detail.
  TOPOLOGY_FIELD_INVALID: '拓撲格式不接受此欄位的值：{subject}',
  TOPOLOGY_FIELD_EMPTY: '此欄位不可空白。',
  TOPOLOGY_FIELD_MISSING: '缺少此必要欄位。',
  TOPOLOGY_SIP_DOMAIN_REQUIRED: '至少需要一個 SIP 網域。',
  TOPOLOGY_POOL_REQUIRED: '至少需要一個集區。',
  SUBJECT_POOL_NOT_PUBLISHED: '指定作為主體的集區未啟用遠端存取：{subject}',
  DUPLICATE_POOL: '兩個集區或 Director 使用相同的名稱或外部 Web FQDN：{subject}',
  WILDCARD_NOT_FQDN: '此處需要實際的主機名稱，不能使用萬用字元：{subject}',
  MEET_URL_MISSING: 'SIP 網域沒有作用中的會議簡易 URL：{subject}',
  MEET_URL_SEVERAL_ACTIVE: 'SIP 網域有多個作用中的會議簡易 URL：{subject}',
  MEET_URL_UNKNOWN_DOMAIN: '會議簡易 URL 指向不在 SIP 網域清單中的網域：{subject}',
  SIMPLE_URL_INVALID: '簡易 URL 不是完整的 URL（或含有使用者名稱、查詢字串或片段）：{subject}',
  SIMPLE_URL_NOT_HTTPS: '簡易 URL 未使用 https：{subject}',
  SIMPLE_URL_HAS_PORT: '簡易 URL 含有連接埠號碼：{subject}',
  SIMPLE_URL_POOL_FQDN: '簡易 URL 的主機是集區或 Director 的 FQDN：{subject}',
  SIMPLE_URL_HOST_CHARS: '簡易 URL 的主機含有字母、數字與句點以外的字元：{subject}',
  SIMPLE_URL_PREFIX: '簡易 URL 是另一個簡易 URL 的前置詞：{subject}',
  SIMPLE_URL_DUPLICATE: '相同的簡易 URL 使用了兩次：{subject}',
  MEET_URL_NOT_IN_SAN: '會議簡易 URL 的主機被排除在憑證之外，且沒有萬用字元涵蓋：{subject}',
  DIALIN_URL_NOT_IN_SAN: '撥入簡易 URL 的主機被排除在憑證之外，且沒有萬用字元涵蓋：{subject}',
  LYNCDISCOVER_MISSING: '行動服務使用 443 連接埠，但 lyncdiscover 名稱被排除且沒有萬用字元涵蓋：{subject}',
  REQUIRED_NAME_OMITTED: '集區、Director 或 Office Web Apps 名稱必須留在憑證上，不能排除：{subject}',
  SUBJECT_KEPT_IN_SAN: '主體名稱必須同時是主體別名，因此保留：{subject}',
  SAN_OMITTED: '依排除清單，此名稱不放在憑證上：{subject}',
  OMIT_UNKNOWN_NAME: '排除清單中的名稱不在規劃中（是否打錯字？）：{subject}',
  WILDCARD_COVERS: '萬用字元主體別名涵蓋了此名稱（允許）：{subject}',
  MOBILITY_HTTP: '行動服務自動探索使用 80 連接埠：lyncdiscover 名稱透過 HTTP 發佈，不需要主體別名。',
  EXCHANGE_NAMES: 'Exchange 名稱已放在憑證上；Exchange 需要自己的發佈規則（已列出）。',
  EDGE_SANS_COMBINED: 'Edge Server 名稱已合併到此憑證：請連同私密金鑰匯出給 Edge 使用。',
  // What the Lync topology importer proposed (README, "Read Lync Server's own topology")
  IMPORT_MEET_URL_PROPOSED: '拓撲文件沒有此 SIP 網域的會議簡易 URL：建議使用 https://meet.<SIP 網域>。',
  IMPORT_DIALIN_URL_PROPOSED: '拓撲文件沒有撥入簡易 URL：建議使用 https://dialin.<預設 SIP 網域>。',
  IMPORT_MOBILITY_PROPOSED: '假設行動服務自動探索使用 443 連接埠：lyncdiscover 名稱會加入憑證。',
  IMPORT_POOL_PUBLISHED: '具有外部 Web 服務 FQDN 的集區，假設透過反向 Proxy 發佈。',
  IMPORT_POOL_NO_EXTERNAL_WEB: '集區在拓撲文件中沒有外部 Web 服務 FQDN：已略過。',
  IMPORT_EDGE_FOUND: '拓撲文件含有 Edge Server：除非您自行加入，其名稱不會合併到此憑證。',
  TOO_MANY_SANS: '憑證的主體別名超過 100 個，許多公用 CA 不接受。',
  // The CA's answer (import)
  CERT_SANS_MISSING: '憑證缺少要求的主體別名。',
  CERT_SANS_EXTRA: '憑證含有未要求的主體別名。',
  CERT_IP_SANS: '憑證另外列出了 IP 位址。',
  CERT_NO_CN: '憑證主體沒有 CN（TMG 2010 依 CN 顯示與比對接聽程式）。',
  CERT_SUBJECT_DIFFERS: '憑證的 CN 與要求的不同。',
  CERT_CN_NOT_IN_SAN: '主體名稱不在主體別名中（Lync 要求必須在）。',
  CERT_NO_EKU: '憑證沒有增強金鑰使用方法延伸，可用於任何用途。',
  CERT_NO_SERVER_AUTH: '憑證缺少伺服器驗證（serverAuth）增強金鑰使用方法。',
  CERT_NO_CLIENT_AUTH: '憑證缺少程序要求的用戶端驗證（clientAuth）增強金鑰使用方法。',
  CERT_KEY_USAGE: '憑證的金鑰使用方法與程序要求的不同。',
  CERT_IS_CA: '憑證被標示為 CA 憑證（basicConstraints cA:TRUE）。',
  CERT_EXPIRED: '憑證已過期。',
  CERT_NOT_YET_VALID: '憑證尚未生效（請檢查這台電腦的時鐘）。',
  CERT_EXPIRES_SOON: '憑證將在 30 天內到期。',
  CERT_VALIDITY_TOO_LONG: '有效期間超過公用 CA 在其生效日可簽發的上限。',
  // The chain
  CHAIN_SELF_SIGNED: '自我簽署的憑證，沒有 CA 為它擔保：{subject}',
  CHAIN_TOO_LONG: '憑證鏈過長：{subject}',
  CHAIN_INCOMPLETE: '憑證鏈不完整：找不到簽發者：{subject}',
  CHAIN_BAD_SIGNATURE: '憑證鏈中的簽章驗證失敗：{subject}',
  CHAIN_NOT_A_CA: '簽發者不是 CA 憑證：{subject}',
  CHAIN_CA_EXPIRED: 'CA 憑證已過期：{subject}',
  CHAIN_CA_NOT_YET_VALID: 'CA 憑證尚未生效：{subject}',
  CHAIN_UNUSED: '已略過不屬於此憑證鏈的憑證：{subject}',
  // CA store
  CA_EXPIRED: 'CA 憑證已過期：{subject}',
  CA_ISSUER_UNKNOWN: '尚未儲存此 CA 的簽發者，請一併匯入：{subject}',
  // A decoded CSR
  CSR_SIGNATURE_INVALID: '簽章驗證失敗：憑證要求已被竄改或損毀。',
  CSR_SIGNATURE_UNCHECKED: '無法檢查簽章（不支援的演算法）。',
  CSR_PSS_SIGNATURE: '憑證要求使用 RSASSA-PSS 簽署，Lync Server 2013 不支援。',
  CSR_WEAK_SIGNATURE: '憑證要求使用弱雜湊演算法簽署，請改用 SHA-256。',
  CSR_KEY_NOT_RSA: '金鑰不是 RSA；Lync Server 2013 反向 Proxy 需要 RSA 金鑰。',
  CSR_KEY_TOO_SMALL: 'RSA 金鑰小於 2048 位元，公用 CA 會拒絕。',
  CSR_NO_DNS_SAN: '憑證要求沒有任何 DNS 主體別名。',
  CSR_CN_NOT_IN_SAN: '主體名稱（CN）不在主體別名中，程序要求必須在。',
  CSR_MALFORMED_PART: '憑證要求有一部分格式錯誤。',
  CSR_NOT_DER: '憑證要求屬性不是 DER 順序（BER）；多數 CA 仍會接受。',
  CSR_INVALID_DNS_NAME: '憑證要求的主體別名中有無效的 DNS 名稱。',
  CSR_EXTENSIONS_NOT_FIRST: '要求的延伸（主體別名、金鑰使用方法）不是第一個要求屬性：以 NSS 為基礎的 CA（certutil -C）只讀取第一個屬性，簽發的憑證會缺少它們；Windows AD CS、OpenSSL 與公用 CA 會讀取所有屬性。',
};

export const codesZhTW: CodeCatalog = {
  errors: {
    INVALID_INPUT: '輸入的資料無效。',
    PARSE_ERROR: '無法依其宣稱的格式讀取此檔案。',
    NOT_FOUND: '找不到指定的項目。',
    CONFLICT: '這會覆寫或違反已儲存的內容。',
    MISMATCH: '憑證與憑證要求不相符。',
    NOT_EXPORTABLE: '此憑證要求無法匯出。',
    WEAK_PASSWORD: '密碼強度不足。',
    KEYCHAIN_UNAVAILABLE: '無法連線到作業系統的金鑰鏈。',
    KEYCHAIN_LOCKED: '作業系統的金鑰鏈已鎖定：請先解除鎖定登入金鑰圈，再重試。',
    STORE_LOCKED: '另一個 Certdesk 視窗或命令正在寫入存放區。',
    STORE_CORRUPT: '存放的資料已損毀。',
    IO_ERROR: '磁碟拒絕了這項操作。',
    UNAUTHORIZED: '存取遭拒。',
    INTERNAL: 'Certdesk 發生內部錯誤。',
  },
  findings: zhFindings,
  sanSources: {
    subject: '主體名稱（CN 也必須是主體別名）',
    pool: '集區外部 Web 服務',
    director: 'Director 外部 Web 服務',
    meet: '會議簡易 URL',
    dialin: '撥入簡易 URL',
    'office-web-apps': 'Office Web Apps Server',
    lyncdiscover: '行動服務自動探索（lyncdiscover）',
    edge: 'Edge Server 名稱（合併憑證）',
    'exchange-autodiscover': 'Exchange 自動探索',
    'exchange-web-services': 'Exchange Web 服務',
    extra: '拓撲中額外加入的名稱',
  },
  publishingKinds: {
    pool: '集區 Web 服務',
    director: 'Director Web 服務',
    meet: '會議簡易 URL',
    dialin: '撥入簡易 URL',
    lyncdiscover: '行動服務自動探索',
    'office-web-apps': 'Office Web Apps Server',
    exchange: 'Exchange',
  },
  historyEvents: {
    'key-generated': '已產生金鑰',
    'csr-created': '已建立憑證要求',
    'certificate-imported': '已匯入憑證',
    'certificate-chain-updated': '已更新憑證鏈',
    'pfx-exported': '已匯出 PFX',
    'bundle-written': '已寫入部署套件',
    deployed: '已部署',
    'deployment-verified': '已驗證部署',
    'deployment-undone': '已復原部署標記',
    'farm-linked': '已連結到伺服器陣列',
    'farm-unlinked': '已取消連結伺服器陣列',
    'mismatch-accepted': '已接受不相符',
    'proxy-config-written': '已寫入反向 Proxy 設定',
    'planned-from-topology': '已依拓撲規劃名稱',
    'pfx-adopted': '已從 PFX 接管',
    renews: '更新先前的要求',
    'renewed-by': '已由新要求更新',
    superseded: '已被更新的憑證取代',
    'supersede-undone': '不再被取代（已復原部署標記）',
  },
};
