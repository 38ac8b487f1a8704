/* Prints the EnumFormat pod spa_format_audio_raw_build() makes, as hex.
   Usage: pw-pod FORMAT RATE CHANNELS POSITION... (FORMAT and POSITIONs as numbers)
   or:    pw-pod buffers N   (the Buffers param asking for N buffers) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <spa/param/audio/format-utils.h>
#include <spa/param/buffers.h>
#include <spa/pod/builder.h>
static void print(const struct spa_pod *pod) {
  for (uint32_t i = 0; i < SPA_POD_SIZE(pod); i++) printf("%02x", ((const uint8_t *)pod)[i]);
  printf("\n");
}
int main(int argc, char **argv) {
  uint8_t buf[4096];
  struct spa_pod_builder b = SPA_POD_BUILDER_INIT(buf, sizeof(buf));
  if (argc == 3 && strcmp(argv[1], "buffers") == 0) {
    print(spa_pod_builder_add_object(&b, SPA_TYPE_OBJECT_ParamBuffers, SPA_PARAM_Buffers,
        SPA_PARAM_BUFFERS_buffers, SPA_POD_Int(atoi(argv[2]))));
    return 0;
  }
  if (argc < 4) return 2;
  struct spa_audio_info_raw info = { 0 };
  info.format = atoi(argv[1]);
  info.rate = atoi(argv[2]);
  info.channels = atoi(argv[3]);
  for (uint32_t i = 0; i < info.channels && 4 + (int)i < argc; i++) info.position[i] = strtoul(argv[4 + i], NULL, 0);
  struct spa_pod *pod = spa_format_audio_raw_build(&b, SPA_PARAM_EnumFormat, &info);
  print(pod);
  return 0;
}
