/* Demonstration probe_stub for Win64 callers converted by foreign.ts (x86-64 Linux harness).
 * Called with the Microsoft convention; records into foreign_dump:
 *   +0   rcx, rdx, r8, r9        +32  the caller's rsp (= rsp+8 at entry)
 *   +64  xmm0..xmm3 (16 each)    +128 64 bytes from [rsp+8]: shadow space, then stack args
 * Returns rax = rcx (what a callee with a hidden return pointer returns). Only volatile
 * Win64 registers (rax, xmm4, xmm5) are used. The real stubs live in runtime/. */
        .text
        .globl probe_stub
        .type probe_stub, @function
probe_stub:
        movq    %rcx, foreign_dump+0(%rip)
        movq    %rdx, foreign_dump+8(%rip)
        movq    %r8, foreign_dump+16(%rip)
        movq    %r9, foreign_dump+24(%rip)
        leaq    8(%rsp), %rax
        movq    %rax, foreign_dump+32(%rip)
        movdqu  %xmm0, foreign_dump+64(%rip)
        movdqu  %xmm1, foreign_dump+80(%rip)
        movdqu  %xmm2, foreign_dump+96(%rip)
        movdqu  %xmm3, foreign_dump+112(%rip)
        movdqu  8(%rsp), %xmm4
        movdqu  24(%rsp), %xmm5
        movdqu  %xmm4, foreign_dump+128(%rip)
        movdqu  %xmm5, foreign_dump+144(%rip)
        movdqu  40(%rsp), %xmm4
        movdqu  56(%rsp), %xmm5
        movdqu  %xmm4, foreign_dump+160(%rip)
        movdqu  %xmm5, foreign_dump+176(%rip)
        movq    %rcx, %rax
        ret
        .size probe_stub, . - probe_stub

        .bss
        .globl foreign_dump
        .p2align 4
foreign_dump:
        .zero 192
        .size foreign_dump, 192

        .section .note.GNU-stack,"",@progbits
