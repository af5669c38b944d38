// libsensors (lm-sensors 3.x). It ships no pkg-config file, so the module map links "sensors".
#include <stdio.h>
#include <sensors/sensors.h>
#include <sensors/error.h>
