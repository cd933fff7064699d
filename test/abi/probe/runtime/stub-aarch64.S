/* probe_stub for AArch64 (Linux AAPCS64 callers and Apple arm64 callers alike). Dumps x0-x8
 * and q0-q7, calls probe_hook, loads x0-x7 and q0-q7 from probe_ret. Offsets follow probe.h. */
        .text
        .globl probe_stub
        .type probe_stub, %function
probe_stub:
        adrp x9, probe_dump
        add x9, x9, :lo12:probe_dump
        stp x0, x1, [x9, 0]
        stp x2, x3, [x9, 16]
        stp x4, x5, [x9, 32]
        stp x6, x7, [x9, 48]
        str x8, [x9, 64]
        stp q0, q1, [x9, 128]
        stp q2, q3, [x9, 160]
        stp q4, q5, [x9, 192]
        stp q6, q7, [x9, 224]
        mov x10, sp
        str x10, [x9, 256]
        stp x29, x30, [sp, -16]!
        mov x29, sp
        bl probe_hook
        adrp x9, probe_ret
        add x9, x9, :lo12:probe_ret
        ldp x0, x1, [x9, 0]
        ldp x2, x3, [x9, 16]
        ldp x4, x5, [x9, 32]
        ldp x6, x7, [x9, 48]
        ldp q0, q1, [x9, 64]
        ldp q2, q3, [x9, 96]
        ldp q4, q5, [x9, 128]
        ldp q6, q7, [x9, 160]
        ldp x29, x30, [sp], 16
        ret
        .size probe_stub, . - probe_stub
        .section .note.GNU-stack,"",@progbits
