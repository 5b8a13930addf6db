// main.c: stap, the SystemTap-compatible translator/driver.
#include "stap.h"

#include <stdlib.h>

int main(int argc, char **argv)
{
	session = NEW(Session);
	options_parse(session, argc, argv);
	return session_run(session);
}
