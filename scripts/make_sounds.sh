#!/usr/bin/env bash
# Makes the four voice prompts (evaluator-protocol.md PLAY ids 1-4) as spoken words, reproducibly:
# espeak-ng's Mandarin voice at fixed settings, then sox to 16 kHz mono 16-bit WAV with a little padding.
#   scripts/make_sounds.sh            # writes assets/sounds/prompt-{1..4}-zh_CN.wav and -en_US.wav
# Needs: espeak-ng and sox (Debian packages of those names). Not run by make test: the WAVs are committed.
set -euo pipefail
cd "$(dirname "$0")/.."
out=assets/sounds
mkdir -p "$out"
zh=("您好，欢迎光临" "请您对我的服务做出评价" "谢谢您的评价" "暂停服务，请到其他窗口办理")
en=("Hello, welcome." "Please rate my service." "Thank you for your rating." "Service paused. Please go to another window.")
speak() {  # voice text target
  local tmp
  tmp=$(mktemp --suffix=.wav)
  espeak-ng -v "$1" -s 150 -p 50 -a 180 -w "$tmp" "$2"
  sox "$tmp" -r 16000 -c 1 -b 16 "$3" pad 0.05 0.15 norm -1
  rm -f "$tmp"
}
for i in 0 1 2 3; do
  n=$((i + 1))
  speak cmn "${zh[$i]}" "$out/prompt-$n-zh_CN.wav"
  speak en-us "${en[$i]}" "$out/prompt-$n-en_US.wav"
done
ls -l "$out"
