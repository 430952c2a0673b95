import { UserFacingError } from '../errors.js';

/** Shards are separate processes; the embedded SQLite state admits one, so sharding needs a database. */
export class ShardingNeedsDatabaseError extends UserFacingError {
  constructor() {
    super(
      'sharding-needs-database',
      'sharding needs DATABASE_URL: every shard is its own process, and the embedded SQLite state can be used by one process only. ' +
        'Set DATABASE_URL=postgres://… (see "Scaling out" in the README), or run one process with npm start.',
    );
  }
}
