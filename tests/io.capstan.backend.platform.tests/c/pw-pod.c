/* Prints the EnumFormat pod spa_format_audio_raw_build() makes, as hex.
   Usage: pw-pod FORMAT RATE CHANNELS POSITION... (FORMAT and POSITIONs as numbers) */
#include <stdio.h>
#include <stdlib.h>
#include <spa/param/audio/format-utils.h>
int main(int argc, char **argv) {
  if (argc < 4) return 2;
  uint8_t buf[4096];
  struct spa_pod_builder b = SPA_POD_BUILDER_INIT(buf, sizeof(buf));
  struct spa_audio_info_raw info = { 0 };
  info.format = atoi(argv[1]);
  info.rate = atoi(argv[2]);
  info.channels = atoi(argv[3]);
  for (uint32_t i = 0; i < info.channels && 4 + (int)i < argc; i++) info.position[i] = strtoul(argv[4 + i], NULL, 0);
  struct spa_pod *pod = spa_format_audio_raw_build(&b, SPA_PARAM_EnumFormat, &info);
  for (uint32_t i = 0; i < SPA_POD_SIZE(pod); i++) printf("%02x", ((uint8_t *)pod)[i]);
  printf("\n");
  return 0;
}
