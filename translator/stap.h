// stap.h: every type shared between the passes of the translator.
#ifndef STAP_H
#define STAP_H
#endif
