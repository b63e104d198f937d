/* The fiber context switch (exec_fiber.c): save the callee-saved registers
 * and the floating-point control words on the current stack, store the
 * stack pointer, load the other fiber's and restore its registers. No
 * system call (ucontext's swapcontext makes one to save the signal mask). */
	.text
	.globl	weft__fiber_switch
	.hidden	weft__fiber_switch
	.type	weft__fiber_switch, @function
/* void weft__fiber_switch(void **save_sp, void *next_sp) */
weft__fiber_switch:
	.cfi_startproc
	pushq	%rbp
	.cfi_adjust_cfa_offset 8
	pushq	%rbx
	.cfi_adjust_cfa_offset 8
	pushq	%r12
	.cfi_adjust_cfa_offset 8
	pushq	%r13
	.cfi_adjust_cfa_offset 8
	pushq	%r14
	.cfi_adjust_cfa_offset 8
	pushq	%r15
	.cfi_adjust_cfa_offset 8
	subq	$8, %rsp
	.cfi_adjust_cfa_offset 8
	stmxcsr	(%rsp)
	fnstcw	4(%rsp)
	movq	%rsp, (%rdi)
	movq	%rsi, %rsp
	ldmxcsr	(%rsp)
	fldcw	4(%rsp)
	addq	$8, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	ret
	.cfi_endproc
	.size	weft__fiber_switch, .-weft__fiber_switch

/* A new fiber's first switch returns here with its thread record in %r12
 * and its entry function in %r13. The return address is undefined, so
 * that unwinding (exceptions, pthread_exit) ends at this frame. */
	.globl	weft__fiber_start
	.hidden	weft__fiber_start
	.type	weft__fiber_start, @function
weft__fiber_start:
	.cfi_startproc
	.cfi_undefined rip
	movq	%r12, %rdi
	callq	*%r13
	ud2
	.cfi_endproc
	.size	weft__fiber_start, .-weft__fiber_start

	.section .note.GNU-stack,"",@progbits
