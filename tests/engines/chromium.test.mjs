// The smoke steps (smoke.mjs) in Chromium (Debian's chromium, through playwright-core), the engine of the full suite in tests/browser/.
import { chromium } from './drivers.mjs';
import { smokeSuite } from './smoke.mjs';

smokeSuite(chromium);
