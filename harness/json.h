/* SPDX-License-Identifier: MIT */
/* json.h: a JSON string of any bytes, for every JSON scbench writes (the
 * exports, compare's --format json): valid UTF-8 passes, control
 * characters are escaped, any other byte becomes U+FFFD. */
#ifndef SCB_JSON_H
#define SCB_JSON_H

#include <stdio.h>

void json_string(FILE *f, const char *str);

#endif
