// What a test does when something it needs is missing here (Chromium, python3, a built file):
// on a developer's machine it is skipped, and says why; under CI=true it fails instead, since a
// skip there would pass unnoticed. scripts/test.sh lists every skip in its summary, and fails a
// run under CI=true that skipped anything.

/** Whether this is a CI run (CI=true or CI=1, as CI services set it). */
export const CI = /^(true|1)$/i.test(process.env.CI ?? '');

/**
 * For `describe(name, { skip })`: false when `why` is false; otherwise `why`, or, under CI, an
 * error thrown at once, which fails the test file.
 */
export function skipUnlessCI(why) {
  if (!why) return false;
  if (CI) throw new Error(`CI=true, and a test cannot run: ${why}`);
  return why;
}

/**
 * Inside a test: when `why` is a reason, skips the test (the caller then returns) or, under CI,
 * fails it. Returns whether the test must stop.
 */
export function skipTest(t, why) {
  if (!why) return false;
  if (CI) throw new Error(`CI=true, and this test cannot run: ${why}`);
  t.skip(why);
  return true;
}
