/**
 * Test-only fault injection for the crash tests (tests/integration/store-crash.test.ts): when
 * CERTDESK_TEST_CRASH_AT names this step, the process kills itself with SIGKILL right here, exactly
 * like a power cut or `kill -9` at that point. Without the variable it does nothing.
 */
export function crashPoint(step: string): void {
  if (process.env.CERTDESK_TEST_CRASH_AT === step) process.kill(process.pid, 'SIGKILL');
}
