import type { RepairNote, RepairOutcome } from '../common/api-dto.js';

/** At most this many repairs wait for the app to show them; the oldest go first (all are in the audit log too). */
const MAX_WAITING = 20;

/**
 * The repairs of interrupted writes a long-running shell (the Electron app, `certdesk ui`) made at a
 * store lock, kept until the page asks for them (app.repairNotes), which shows each one once. The CLI
 * prints them as `note:` lines instead.
 */
export class RepairNotes {
  private waiting: RepairNote[] = [];

  constructor(private readonly now: () => Date = () => new Date()) {}

  add(outcome: RepairOutcome, message: string): void {
    this.waiting.push({ at: this.now().toISOString(), outcome, message });
    if (this.waiting.length > MAX_WAITING) this.waiting.shift();
  }

  /** The repairs not shown yet, oldest first; each is returned once. */
  take(): RepairNote[] {
    const out = this.waiting;
    this.waiting = [];
    return out;
  }

  /** A context's note callback that also keeps repairs (other notes only go to `note`). */
  noteWith(note?: (message: string) => void): (message: string, repair?: RepairOutcome) => void {
    return (message, repair) => {
      note?.(message);
      if (repair) this.add(repair, message);
    };
  }
}
