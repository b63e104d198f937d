/* The explorer as a shared library (libweft-explorer.so), loaded by
 * weft_check() on demand. All of its code comes from the weft_core archive;
 * this file only stamps the library with the version it was built for. */
#ifndef WEFT_VERSION
#define WEFT_VERSION "unknown"
#endif

const char weft_explorer_version[] = WEFT_VERSION;
