/* Prints the width, height and number of distinct colours of a PNG (8-bit
 * RGB or RGBA, not interlaced: what Chromium writes for a screenshot), so
 * a test can tell a drawn page from a blank one. Exit status 2 for a file
 * it cannot read. usage: png_colors FILE.png */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int paeth(int a, int b, int c)
{
	int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
	return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	if (argc != 2)
		return 2;
	FILE *f = fopen(argv[1], "rb");
	if (!f)
		return 2;
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	rewind(f);
	unsigned char *file = malloc((size_t)size);
	if (!file || fread(file, 1, (size_t)size, f) != (size_t)size || size < 33 ||
	    memcmp(file, "\x89PNG\r\n\x1a\n", 8) != 0)
		return 2;
	fclose(f);
	uint32_t width = be32(file + 16), height = be32(file + 20);
	int depth = file[24], type = file[25], interlace = file[28];
	int channels = type == 2 ? 3 : type == 6 ? 4 : 0;
	if (depth != 8 || !channels || interlace || width == 0 || height == 0 || width > 20000 ||
	    height > 20000)
		return 2;
	/* the IDAT chunks, concatenated */
	size_t zlen = 0;
	unsigned char *z = malloc((size_t)size);
	for (long at = 8; at + 12 <= size;) {
		uint32_t len = be32(file + at);
		if (at + 12 + (long)len > size)
			return 2;
		if (memcmp(file + at + 4, "IDAT", 4) == 0) {
			memcpy(z + zlen, file + at + 8, len);
			zlen += len;
		}
		at += 12 + (long)len;
	}
	size_t stride = (size_t)width * channels;
	uLongf rawlen = (uLongf)((stride + 1) * height);
	unsigned char *raw = malloc(rawlen);
	if (!raw || uncompress(raw, &rawlen, z, zlen) != Z_OK || rawlen != (stride + 1) * height)
		return 2;
	unsigned char *prev = calloc(stride, 1), *cur = malloc(stride);
	uint32_t *colours = malloc((size_t)width * height * sizeof *colours);
	size_t n = 0;
	for (uint32_t y = 0; y < height; y++) {
		const unsigned char *row = raw + y * (stride + 1);
		int filter = row[0];
		for (size_t x = 0; x < stride; x++) {
			int a = x >= (size_t)channels ? cur[x - channels] : 0, b = prev[x];
			int c = x >= (size_t)channels ? prev[x - channels] : 0, v = row[1 + x];
			switch (filter) {
			case 1:
				v += a;
				break;
			case 2:
				v += b;
				break;
			case 3:
				v += (a + b) / 2;
				break;
			case 4:
				v += paeth(a, b, c);
				break;
			}
			cur[x] = (unsigned char)v;
		}
		for (uint32_t x = 0; x < width; x++) {
			const unsigned char *p = cur + (size_t)x * channels;
			colours[n++] = (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
		}
		memcpy(prev, cur, stride);
	}
	qsort(colours, n, sizeof *colours, cmp_u32);
	size_t distinct = n ? 1 : 0;
	for (size_t i = 1; i < n; i++)
		distinct += colours[i] != colours[i - 1];
	printf("%u %u %zu\n", width, height, distinct);
	return 0;
}
