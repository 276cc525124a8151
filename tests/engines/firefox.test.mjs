// The smoke steps (smoke.mjs) in Firefox ESR (Debian's firefox-esr, through puppeteer-core over WebDriver BiDi).
import { firefox } from './drivers.mjs';
import { smokeSuite } from './smoke.mjs';

smokeSuite(firefox);
