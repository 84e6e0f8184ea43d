/** Repositories and services over one database, wired once per emulator. */
import { BUNDLED_FIXTURES, type Config } from '../config/options.js';
import type { EmulatorClock } from '../clock/clock.js';
import type { Db } from '../db/database.js';
import { IdentityRepository } from '../db/identity-repository.js';
import { ImageDetailsRepository } from '../db/image-details-repository.js';
import { ImageRepository } from '../db/image-repository.js';
import { ScanRepository } from '../db/scan-repository.js';
import { EventLog } from '../db/event-log.js';
import { StateRepository } from '../db/state-repository.js';
import { WorldRepository } from '../db/world-repository.js';
import { InventoryVersion } from '../db/write-version.js';
import { readWorld } from '../world/read-world.js';
import { WorldSeeder } from '../world/seed-world.js';
import type { WorldFixture } from '../../schemas/fixtures.js';
import { IamService } from './iam-service.js';
import { IamDirectory } from './iam-directory.js';
import { EventReplay } from './event-replay.js';
import { InventoryService } from './inventory-service.js';
import { ScanEvents } from './scan-events.js';
import { ScanProgress } from './scan-progress.js';
import { ScanService } from './scan-service.js';
import { ScanTicker } from './scan-ticker.js';
import { WorldAdmin } from './world-admin.js';
import { StateTransfer } from './state-transfer.js';
import { ClockControl } from './clock-control.js';
import type { ClockRepository } from '../db/clock-repository.js';

/** Scan events kept for clients that reconnect with Last-Event-ID. */
export const EVENT_REPLAY_SIZE = 10_000;

export function createServices(db: Db, config: Config, clock: EmulatorClock, clockStore: ClockRepository) {
  const world = new WorldRepository(db);
  const seeder = new WorldSeeder(db);
  let fixtures: WorldFixture | undefined;
  const readFixtures = () => (fixtures ??= readWorld(config.fixtures, { trusted: config.fixtures === BUNDLED_FIXTURES }));
  const stateTables = new StateRepository(db);
  // What happened to the fixtures at start, for the start-up log.
  let fixturesAtStart: 'seeded' | 'reset' | 'kept' = 'kept';
  if (world.isEmpty()) {
    seeder.seedWorld(readFixtures());
    fixturesAtStart = 'seeded';
  } else if (config.reset_on_start) {
    const fixtureWorld = readFixtures();
    db.transaction(() => {
      stateTables.clearAll();
      seeder.seedWorld(fixtureWorld);
    })();
    fixturesAtStart = 'reset';
  }

  const inventoryVersion = InventoryVersion.of(db);
  const identities = new IdentityRepository(db);
  const images = new ImageRepository(db);
  const scanPlans = new ScanRepository(db);
  const events = new ScanEvents();
  const eventLog = new EventLog(db, EVENT_REPLAY_SIZE);
  const progress = new ScanProgress(db, scanPlans, images, events, eventLog, inventoryVersion);
  const ticker = new ScanTicker(clock, progress, events);
  return {
    fixturesAtStart,
    world,
    identities,
    images,
    events,
    eventLog,
    replay: new EventReplay(eventLog),
    progress,
    ticker,
    clockControl: new ClockControl(clock, progress, ticker, clockStore),
    scans: new ScanService(images, scanPlans, progress, {
      lanes: config.lanes,
      baseMs: config.scan_base_ms,
      throughputMbS: config.scan_throughput_mb_s,
      maxImageSize: config.max_image_size,
      maxBatchImages: config.max_batch_images,
    }),
    inventory: new InventoryService(images, new ImageDetailsRepository(db), progress),
    iam: new IamService(identities, world, config.token_ttl_s * 1000),
    iamDirectory: new IamDirectory(identities, world),
    admin: new WorldAdmin(db, world, images, scanPlans, stateTables, seeder, progress, readFixtures, config.lanes),
    stateTransfer: new StateTransfer(stateTables, progress),
  };
}

export type Services = ReturnType<typeof createServices>;
