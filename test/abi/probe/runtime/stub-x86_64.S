/* probe_stub for x86-64, callable with the SysV or the Microsoft convention. Dumps every
 * argument register, calls probe_hook (SysV C), loads the return registers from probe_ret.
 * Offsets follow struct probe_dump / probe_ret in probe.h. */
        .intel_syntax noprefix
        .text
        .globl probe_stub
        .type probe_stub, @function
probe_stub:
        mov [rip + probe_dump + 0], rdi
        mov [rip + probe_dump + 8], rsi
        mov [rip + probe_dump + 16], rdx
        mov [rip + probe_dump + 24], rcx
        mov [rip + probe_dump + 32], r8
        mov [rip + probe_dump + 40], r9
        mov [rip + probe_dump + 48], rax
        movdqu [rip + probe_dump + 128], xmm0
        movdqu [rip + probe_dump + 144], xmm1
        movdqu [rip + probe_dump + 160], xmm2
        movdqu [rip + probe_dump + 176], xmm3
        movdqu [rip + probe_dump + 192], xmm4
        movdqu [rip + probe_dump + 208], xmm5
        movdqu [rip + probe_dump + 224], xmm6
        movdqu [rip + probe_dump + 240], xmm7
        lea rax, [rsp + 8]
        mov [rip + probe_dump + 256], rax
        /* Win64 callers expect rdi, rsi and xmm6-15 preserved; the SysV hook may clobber them. */
        movdqu [rip + probe_saved + 0], xmm6
        movdqu [rip + probe_saved + 16], xmm7
        movdqu [rip + probe_saved + 32], xmm8
        movdqu [rip + probe_saved + 48], xmm9
        movdqu [rip + probe_saved + 64], xmm10
        movdqu [rip + probe_saved + 80], xmm11
        movdqu [rip + probe_saved + 96], xmm12
        movdqu [rip + probe_saved + 112], xmm13
        movdqu [rip + probe_saved + 128], xmm14
        movdqu [rip + probe_saved + 144], xmm15
        push rbp
        mov rbp, rsp
        and rsp, -16
        call probe_hook
        mov rsp, rbp
        pop rbp
        movdqu xmm6, [rip + probe_saved + 0]
        movdqu xmm7, [rip + probe_saved + 16]
        movdqu xmm8, [rip + probe_saved + 32]
        movdqu xmm9, [rip + probe_saved + 48]
        movdqu xmm10, [rip + probe_saved + 64]
        movdqu xmm11, [rip + probe_saved + 80]
        movdqu xmm12, [rip + probe_saved + 96]
        movdqu xmm13, [rip + probe_saved + 112]
        movdqu xmm14, [rip + probe_saved + 128]
        movdqu xmm15, [rip + probe_saved + 144]
        mov rdi, [rip + probe_dump + 0]
        mov rsi, [rip + probe_dump + 8]
        mov rax, [rip + probe_ret + 0]
        mov rdx, [rip + probe_ret + 8]
        movdqu xmm0, [rip + probe_ret + 64]
        movdqu xmm1, [rip + probe_ret + 80]
        /* x87 values only when predicted: an unbalanced x87 stack corrupts the caller. */
        mov rcx, [rip + probe_ret + 224]
        test rcx, rcx
        jz 1f
        cmp rcx, 1
        je 2f
        fld tbyte ptr [rip + probe_ret + 208]
2:      fld tbyte ptr [rip + probe_ret + 192]
1:      ret
        .size probe_stub, . - probe_stub

        .local probe_saved
        .comm probe_saved, 160, 16
        .section .note.GNU-stack,"",@progbits
