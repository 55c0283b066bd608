/* Minimal Cortex-M startup for the bare-metal C tests under QEMU (micro:bit, MPS2-AN386): the
 * vector table, a reset handler that sets up .data/.bss (and the FPU on a core that has one),
 * calls main() and exits through ARM semihosting with main's verdict. */
#include <stdint.h>

#include "semihost.h"

extern uint32_t _sidata, _sdata, _edata, _sbss, _ebss, _estack;
int main(void);

/* Semihosting: `bkpt 0xab` with the operation in r0 and its argument in r1. */
static int semihost(int op, const void *arg) {
    register int r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

void semihost_puts(const char *s) {
    semihost(0x04, s); /* SYS_WRITE0 */
}

static void semihost_exit(int ok) {
    /* SYS_EXIT with ADP_Stopped_ApplicationExit (QEMU exits 0) or RunTimeErrorUnknown (1). */
    semihost(0x18, (const void *)(uintptr_t)(ok ? 0x20026u : 0x20023u));
    for (;;) {
    }
}

void reset_handler(void) {
    uint32_t *src = &_sidata, *dst = &_sdata;
    while (dst < &_edata) *dst++ = *src++;
    for (dst = &_sbss; dst < &_ebss;) *dst++ = 0;
#if defined(__ARM_FP)
    *(volatile uint32_t *)0xE000ED88u |= 0xFu << 20; /* CPACR: full access to CP10, CP11 */
    __asm__ volatile("dsb\n\tisb" ::: "memory");
#endif
    semihost_exit(main() == 0);
}

static void fault_handler(void) {
    semihost_puts("bare-metal test: fault\n");
    semihost_exit(0);
}

__attribute__((section(".vectors"), used)) void (*const vectors[16])(void) = {
    (void (*)(void))(uintptr_t)&_estack,
    reset_handler,
    fault_handler, /* NMI */
    fault_handler, /* HardFault */
    fault_handler, /* MemManage */
    fault_handler, /* BusFault */
    fault_handler, /* UsageFault */
};
