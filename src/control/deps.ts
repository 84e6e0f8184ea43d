/** What the control plane's routes work with, wired once in app.ts. */
import type { Config } from '../config/options.js';
import type { EmulatorClock } from '../clock/clock.js';
import type { Faults } from '../http/faults.js';
import type { Journal } from '../http/journal.js';
import type { Metrics } from '../http/metrics.js';
import type { ScanEvents } from '../services/scan-events.js';
import type { EventReplay } from '../services/event-replay.js';
import type { ScanProgress } from '../services/scan-progress.js';
import type { WorldAdmin } from '../services/world-admin.js';
import type { ScanService } from '../services/scan-service.js';
import type { StateTransfer } from '../services/state-transfer.js';
import type { ClockControl } from '../services/clock-control.js';

export interface ControlDeps {
  config: Config;
  clock: EmulatorClock;
  admin: WorldAdmin;
  scans: ScanService;
  stateTransfer: StateTransfer;
  clockControl: ClockControl;
  progress: ScanProgress;
  events: ScanEvents;
  replay: EventReplay;
  faults: Faults;
  journal: Journal;
  metrics: Metrics;
  /** process start, real ms, for uptime */
  startedAt: number;
}
