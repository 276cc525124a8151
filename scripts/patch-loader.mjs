// Emscripten 3.1.6's loader, in a browser or worker, first fetch()es the
// module's own embedded data: URL and decodes it itself only when that fails.
// Under a Content-Security-Policy whose connect-src does not list data: (the
// demo page's 'self', and any strict embedding page), that fetch is a policy
// violation reported to the console. Later Emscripten releases skip the fetch
// for data: URLs; this makes the same change, and refuses to build if the
// loader no longer has the shape it patches. Used by build-package.mjs, and by
// the package test that checks dist/ is not stale.
const FETCH_DATA_URL = 'if(!wasmBinary&&(ENVIRONMENT_IS_WEB||ENVIRONMENT_IS_WORKER)){if(typeof fetch=="function"){';
const DECODE_DATA_URL = 'if(!wasmBinary&&(ENVIRONMENT_IS_WEB||ENVIRONMENT_IS_WORKER)){if(typeof fetch=="function"&&!isDataURI(wasmBinaryFile)){';

export function patchLoader(glue, name) {
  if (glue.split(FETCH_DATA_URL).length !== 2 || !glue.includes('function isDataURI(')) {
    throw new Error(`${name}: the WebAssembly loader is not the one scripts/patch-loader.mjs patches (see FETCH_DATA_URL)`);
  }
  return glue.replace(FETCH_DATA_URL, DECODE_DATA_URL);
}
