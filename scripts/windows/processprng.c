/* Test-only shim for running Rust programs under Wine 8, which lacks ProcessPrng in
 * bcryptprimitives.dll (Rust's std on Windows calls it for random numbers). Built by
 * scripts/test-windows.sh at test time and put beside the test binaries; never shipped
 * (real Windows 10/11 has the genuine bcryptprimitives.dll). Fills the buffer with
 * RtlGenRandom (SystemFunction036 in advapi32). */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len > 0) {
        ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!SystemFunction036(data, chunk)) return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
