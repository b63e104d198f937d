/* Names from the operation and bug-kind tables (ops.def, bugkinds.def). */
#include "explore.h"

static const char *const op_names[] = {
#define X(name, text, blocks) text,
#include "ops.def"
#undef X
};

static const char *const bug_names[] = {
	"none",
#define X(name, text, meaning) text,
#include "bugkinds.def"
#undef X
};

static const char *const bug_meanings[] = {
	"no bug",
#define X(name, text, meaning) meaning,
#include "bugkinds.def"
#undef X
};

const char *weft_op_name(unsigned op)
{
	return op < WEFT_OP_COUNT ? op_names[op] : "unknown operation";
}

const char *weft_bug_kind_name(unsigned kind)
{
	return kind < WEFT_BUG_COUNT ? bug_names[kind] : "unknown";
}

const char *weft_bug_kind_meaning(unsigned kind)
{
	return kind < WEFT_BUG_COUNT ? bug_meanings[kind] : "unknown";
}
