#ifndef CRMQ_INTERRUPT_H
#define CRMQ_INTERRUPT_H

/// Ctrl-C as a flag. The shell installs the handler; long work (a load, a fit) polls the
/// flag and stops, leaving what was loaded before intact. A signal handler may do no more
/// than set a flag, which is why this is C: one flag, one definition.

/// Installs the SIGINT handler, without SA_RESTART so that a blocking read returns.
int crmq_install_interrupt_handler(void);

/// Whether Ctrl-C was pressed and not yet taken.
int crmq_interrupt_pending(void);

/// Takes the pending interrupt: returns whether there was one, and clears it.
int crmq_take_interrupt(void);

/// Raises the flag as Ctrl-C would (for tests).
void crmq_request_interrupt(void);

#endif
