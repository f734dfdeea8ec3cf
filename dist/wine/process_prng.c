/* For running cds.exe under Debian's wine 8 in CI only (never shipped): Rust's standard
 * library (1.78 and later) takes random bytes from bcryptprimitives.dll's ProcessPrng, which
 * wine 8 lacks, so the program stops before main. This DLL, put beside cds.exe, gives
 * ProcessPrng through RtlGenRandom (advapi32's SystemFunction036), which wine has. */
#include <windows.h>

BOOLEAN NTAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
  while (len > 0) {
    ULONG chunk = len > 0x7fffffff ? 0x7fffffff : (ULONG)len;
    if (!SystemFunction036(data, chunk)) return FALSE;
    data += chunk;
    len -= chunk;
  }
  return TRUE;
}
