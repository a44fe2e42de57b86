/**
 * Time is injected. Domain code takes `now` as an argument; edges (handlers, jobs,
 * consumers) read it from the process clock, which the local stack can move.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that can be set and advanced: the local stack and tests use it. */
export class ManualClock implements Clock {
  offsetMs = 0;
  fixed: number | undefined;
  now(): Date {
    return this.fixed !== undefined ? new Date(this.fixed) : new Date(Date.now() + this.offsetMs);
  }
  advance(ms: number): void {
    if (this.fixed !== undefined) this.fixed += ms;
    else this.offsetMs += ms;
  }
  set(at: Date): void {
    this.offsetMs = at.getTime() - Date.now();
    this.fixed = undefined;
  }
}

let current: Clock = systemClock;

/** The clock every handler, job and consumer reads time from. */
export const clock: Clock = { now: () => current.now() };

export function useClock(c: Clock): void {
  current = c;
}
