/* Calls into a library without debug information (hidden_lib.c), which
 * misuses a mutex: the report names the library by offset in the stack and
 * this file's line in the "at" column. */
void hidden_take_twice(void);

int main(void)
{
	hidden_take_twice(); /* line 8 */
	return 0;
}
