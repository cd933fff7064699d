/* Demonstration probe_stub for Apple-arm64 callers converted by foreign.ts (AArch64 Linux
 * harness under qemu). Records into foreign_dump:
 *   +0   x0..x8 (8 each)   +72  sp at entry   +80  q0..q7 (16 each)   +208 64 bytes from [sp]
 * Uses only x9-x11 (temporaries on both Linux and Darwin). The real stubs live in runtime/. */
        .text
        .globl probe_stub
        .type probe_stub, %function
probe_stub:
        adrp    x9, foreign_dump
        add     x9, x9, :lo12:foreign_dump
        stp     x0, x1, [x9]
        stp     x2, x3, [x9, #16]
        stp     x4, x5, [x9, #32]
        stp     x6, x7, [x9, #48]
        str     x8, [x9, #64]
        mov     x10, sp
        str     x10, [x9, #72]
        stp     q0, q1, [x9, #80]
        stp     q2, q3, [x9, #112]
        stp     q4, q5, [x9, #144]
        stp     q6, q7, [x9, #176]
        ldp     x10, x11, [sp]
        stp     x10, x11, [x9, #208]
        ldp     x10, x11, [sp, #16]
        stp     x10, x11, [x9, #224]
        ldp     x10, x11, [sp, #32]
        stp     x10, x11, [x9, #240]
        ldp     x10, x11, [sp, #48]
        stp     x10, x11, [x9, #256]
        ret
        .size probe_stub, . - probe_stub

        .bss
        .globl foreign_dump
        .p2align 4
foreign_dump:
        .zero 272
        .size foreign_dump, 272

        .section .note.GNU-stack,"",@progbits
