package voice

import (
	"encoding/binary"
	"errors"
	"time"
)

// errNotWAV is wrapped in ErrUnreadable by the converter.
var errNotWAV = errors.New("not a PCM WAV stream")

// wavFormat is what parseWAV found.
type wavFormat struct {
	sampleRate int
	channels   int
	bits       int
	dataOffset int
	dataLength int
	blockAlign int
	duration   time.Duration
}

// parseWAV reads a RIFF/WAVE header. ffmpeg writing to a pipe cannot seek
// back to fill in the sizes, so it leaves 0xFFFFFFFF there: the data chunk
// is taken to run to the end of the buffer in that case.
func parseWAV(b []byte) (wavFormat, error) {
	if len(b) < 12 || string(b[0:4]) != "RIFF" || string(b[8:12]) != "WAVE" {
		return wavFormat{}, errNotWAV
	}
	var f wavFormat
	for off := 12; off+8 <= len(b); {
		id, size := string(b[off:off+4]), int(binary.LittleEndian.Uint32(b[off+4:off+8]))
		body := off + 8
		switch id {
		case "fmt ":
			if size < 16 || body+16 > len(b) {
				return wavFormat{}, errNotWAV
			}
			if tag := binary.LittleEndian.Uint16(b[body:]); tag != 1 && tag != 0xFFFE {
				return wavFormat{}, errNotWAV
			}
			f.channels = int(binary.LittleEndian.Uint16(b[body+2:]))
			f.sampleRate = int(binary.LittleEndian.Uint32(b[body+4:]))
			f.blockAlign = int(binary.LittleEndian.Uint16(b[body+12:]))
			f.bits = int(binary.LittleEndian.Uint16(b[body+14:]))
		case "data":
			if f.blockAlign == 0 || f.sampleRate == 0 {
				return wavFormat{}, errNotWAV
			}
			if size == 0xFFFFFFFF || body+size > len(b) {
				size = len(b) - body
			}
			size -= size % f.blockAlign
			f.dataOffset, f.dataLength = body, size
			f.duration = time.Duration(size/f.blockAlign) * time.Second / time.Duration(f.sampleRate)
			return f, nil
		}
		off = body + size + size%2 // chunks are padded to even sizes
	}
	return wavFormat{}, errNotWAV
}

// canonicalWAV returns a plain 44-byte-header WAV of the PCM data with the
// sizes filled in, which every recogniser reads.
func canonicalWAV(b []byte, f wavFormat) []byte {
	out := make([]byte, 44+f.dataLength)
	copy(out[0:], "RIFF")
	binary.LittleEndian.PutUint32(out[4:], uint32(36+f.dataLength))
	copy(out[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(out[16:], 16)
	binary.LittleEndian.PutUint16(out[20:], 1)
	binary.LittleEndian.PutUint16(out[22:], uint16(f.channels))
	binary.LittleEndian.PutUint32(out[24:], uint32(f.sampleRate))
	binary.LittleEndian.PutUint32(out[28:], uint32(f.sampleRate*f.blockAlign))
	binary.LittleEndian.PutUint16(out[32:], uint16(f.blockAlign))
	binary.LittleEndian.PutUint16(out[34:], uint16(f.bits))
	copy(out[36:], "data")
	binary.LittleEndian.PutUint32(out[40:], uint32(f.dataLength))
	copy(out[44:], b[f.dataOffset:f.dataOffset+f.dataLength])
	return out
}
