/* SPDX-License-Identifier: MIT */
/* version.h: the release, and the commit the Makefile passes in. */
#ifndef SCB_VERSION_H
#define SCB_VERSION_H

#define SCB_VERSION "0.1.0"

#ifndef SCB_GIT_COMMIT
#define SCB_GIT_COMMIT "unknown"
#endif

#endif
