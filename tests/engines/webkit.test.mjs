// The smoke steps (smoke.mjs) in WebKit, Safari's engine (Debian's WebKitGTK MiniBrowser under xvfb-run, through WebKitWebDriver and selenium-webdriver).
import { webkit } from './drivers.mjs';
import { smokeSuite } from './smoke.mjs';

smokeSuite(webkit);
