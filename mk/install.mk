# SPDX-License-Identifier: MIT
# mk/install.mk: install, uninstall, clean, distclean (included by the top Makefile, in order).

# ---- install ----------------------------------------------------------------
# PREFIX/bin/scbench, the i386 worker in PREFIX/libexec/scbench/ (scbench
# looks beside itself, then there), the gnuplot scripts under
# PREFIX/share/scbench/plots/ (`scbench plots` finds them relative to
# itself and stages their data itself; the report is scbench's own,
# `scbench report`), the man page and bash completion. DESTDIR stages the
# whole tree elsewhere.
PREFIX ?= /usr/local
INSTALL_SHARE := $(DESTDIR)$(PREFIX)/share/scbench
install: all
	install -d "$(DESTDIR)$(PREFIX)/bin" "$(DESTDIR)$(PREFIX)/libexec/scbench" \
		"$(INSTALL_SHARE)/plots" "$(DESTDIR)$(PREFIX)/share/man/man1" \
		"$(DESTDIR)$(PREFIX)/share/bash-completion/completions"
	install -m 755 $(BUILD)/scbench "$(DESTDIR)$(PREFIX)/bin/scbench"
	$(if $(filter yes,$(CAN_M32)),install -m 755 $(BUILD)/scbench32 "$(DESTDIR)$(PREFIX)/libexec/scbench/scbench32")
	install -m 644 plots/*.gp "$(INSTALL_SHARE)/plots/"
	install -m 644 doc/scbench.1 "$(DESTDIR)$(PREFIX)/share/man/man1/scbench.1"
	install -m 644 scripts/scbench.bash-completion "$(DESTDIR)$(PREFIX)/share/bash-completion/completions/scbench"

uninstall:
	rm -f "$(DESTDIR)$(PREFIX)/bin/scbench" "$(DESTDIR)$(PREFIX)/libexec/scbench/scbench32" \
		"$(DESTDIR)$(PREFIX)/share/man/man1/scbench.1" "$(DESTDIR)$(PREFIX)/share/bash-completion/completions/scbench"
	rm -rf "$(INSTALL_SHARE)"
	-rmdir "$(DESTDIR)$(PREFIX)/libexec/scbench" 2>/dev/null

clean:
	rm -rf $(BUILD)

# only what scbench made: folders holding its marker (scripts/distclean.sh)
distclean: clean
	@scripts/distclean.sh "$$RESULTS"
