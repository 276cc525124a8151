// uPlot 1.6.32 builds its number formatter when its module is evaluated, from
// the browser's language: `new Intl.NumberFormat(navigator.language)`. That
// language is not always a valid BCP 47 tag: WebKitGTK started with LANG=C or
// C.UTF-8 (the default in containers and CI) reports 'C', some Linux set-ups
// report 'en-US@posix', and Intl then throws a RangeError. The throw happens
// while uPlot is imported, so no chart module and not main.js can run: the
// page stayed at "Loading the model…" in WebKitGTK (issue #15).
// uPlot's own fix (pull request 1054, after 1.6.32, not on the registry yet)
// uses the implicit locale, `new Intl.NumberFormat()`, which is the browser's
// language whenever that is valid; this makes the same change, and refuses to
// build if the line is no longer the one it patches (a newer uPlot: check
// whether it still needs this). Used by build-web.mjs.
const LANGUAGE_FORMATTER = "const numFormatter = new Intl.NumberFormat(domEnv ? nav.language : 'en-US');";
const IMPLICIT_FORMATTER = 'const numFormatter = new Intl.NumberFormat();';

export function patchUplot(source, name) {
  if (source.split(LANGUAGE_FORMATTER).length !== 2) {
    throw new Error(`${name}: uPlot's number formatter is not the line scripts/patch-uplot.mjs patches (see LANGUAGE_FORMATTER)`);
  }
  return source.replace(LANGUAGE_FORMATTER, IMPLICIT_FORMATTER);
}
