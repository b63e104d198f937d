/* The way back from the spin watch's signal handler into the thread it
 * sampled (spin.c): mark that the thread runs again, then go on where it
 * was interrupted, every register, the flags and the red zone below the
 * stack pointer as they were. A sample of a thread that has not passed
 * here since the last one is not counted: it did not run in between,
 * though its CPU time went on (on a virtual machine, while the host ran
 * something else). */
	.text
	.globl	weft__spin_resume
	.hidden	weft__spin_resume
	.type	weft__spin_resume, @function
weft__spin_resume:
	.cfi_startproc
	.cfi_undefined rip
	leaq	-128(%rsp), %rsp	/* past the red zone; lea leaves the flags */
	pushq	%rax			/* the slot for where to go back to */
	pushq	%rax
	movq	weft__spin_ran@gottpoff(%rip), %rax
	movb	$1, %fs:(%rax)
	movq	weft__spin_resume_pc@gottpoff(%rip), %rax
	movq	%fs:(%rax), %rax
	movq	%rax, 8(%rsp)
	popq	%rax
	ret	$128			/* to the slot's address, and back up the red zone */
	.cfi_endproc
	.size	weft__spin_resume, .-weft__spin_resume
	.section .note.GNU-stack,"",@progbits
