# Writes OUT, a C file defining NAME as the bytes of INPUT followed by a
# NUL: the HTML report's script and style sheet, embedded into weft.
# usage: cmake -DOUT=file.c -DNAME=symbol -DINPUT=path -P embed.cmake
file(READ ${INPUT} hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
file(WRITE ${OUT} "/* Generated from ${INPUT} by cmake/embed.cmake. */\n"
                  "const char ${NAME}[] = {${bytes}0};\n")
