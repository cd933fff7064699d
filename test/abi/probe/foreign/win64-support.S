/* Stack probes called by Win64 code converted by foreign.ts (linked into the x86-64 Linux harness).
 *
 * MSVC-ABI clang calls __chkstk and mingw-w64 gcc calls ___chkstk_ms before allocating a frame
 * larger than a page: rax = the frame size; the routine touches every page from the caller's
 * rsp down to rsp - rax, in order, and returns with every register (rax included) and rsp
 * unchanged — the caller then does `sub rsp, rax` itself. (Windows commits stack one guard page
 * at a time; Linux grows the stack on demand, so here the probes only prove the code path.)
 * Weak, so the file may be linked more than once. */
        .text
        .weak __chkstk
        .type __chkstk, @function
        .weak ___chkstk_ms
        .type ___chkstk_ms, @function
__chkstk:
___chkstk_ms:
        pushq   %rcx
        pushq   %rax
        leaq    24(%rsp), %rcx          /* the caller's rsp before its call */
        cmpq    $0x1000, %rax
        jb      2f
1:      subq    $0x1000, %rcx
        orq     $0, (%rcx)
        subq    $0x1000, %rax
        cmpq    $0x1000, %rax
        ja      1b
2:      subq    %rax, %rcx
        orq     $0, (%rcx)
        popq    %rax
        popq    %rcx
        ret
        .size __chkstk, . - __chkstk
        .size ___chkstk_ms, . - ___chkstk_ms

        .section .note.GNU-stack,"",@progbits
