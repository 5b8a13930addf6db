#include "stap.h"
int main(void) { return 0; }
