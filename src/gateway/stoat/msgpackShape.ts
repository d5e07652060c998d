/**
 * A linear pre-check of a MessagePack frame, run before it is decoded: walks
 * the item headers without allocating anything and refuses a frame whose
 * containers nest deeper than `maxDepth` or whose announced lengths (array,
 * map, str, bin, ext) exceed the bytes that are left. That way a 100-byte
 * frame announcing a 4-billion-element array, or 30 MB of nested fixarrays,
 * costs one pass over its bytes instead of the heap.
 */

/** Why the frame was refused, or undefined when its shape is acceptable. */
export function checkMsgpackShape(bytes: Uint8Array, maxDepth: number): string | undefined {
  const len = bytes.length;
  // Items still to read in each open container; the frame itself is one item.
  const pending: number[] = [1];
  let pos = 0;
  const u16 = (at: number): number => (bytes[at] << 8) | bytes[at + 1];
  const u32 = (at: number): number => bytes[at] * 0x1000000 + ((bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]);

  while (pending.length > 0) {
    if (pos >= len) return 'MessagePack: the frame ends inside an item';
    const b = bytes[pos];
    let skip = 0; // bytes after the header byte(s) to skip (scalars, str, bin, ext payloads)
    let head = 1; // header length
    let items = -1; // elements of a container, -1 for scalars
    if (b <= 0x7f || b >= 0xe0 || b === 0xc0 || b === 0xc2 || b === 0xc3) {
      // fixint, nil, bool
    } else if (b <= 0x8f) items = (b & 0x0f) * 2;
    else if (b <= 0x9f) items = b & 0x0f;
    else if (b <= 0xbf) skip = b & 0x1f;
    else {
      switch (b) {
        case 0xc4:
        case 0xd9:
          head = 2;
          skip = bytes[pos + 1];
          break;
        case 0xc5:
        case 0xda:
          head = 3;
          skip = u16(pos + 1);
          break;
        case 0xc6:
        case 0xdb:
          head = 5;
          skip = u32(pos + 1);
          break;
        case 0xc7:
          head = 3;
          skip = bytes[pos + 1];
          break;
        case 0xc8:
          head = 4;
          skip = u16(pos + 1);
          break;
        case 0xc9:
          head = 6;
          skip = u32(pos + 1);
          break;
        case 0xca:
          skip = 4;
          break;
        case 0xcb:
          skip = 8;
          break;
        case 0xcc:
        case 0xd0:
          skip = 1;
          break;
        case 0xcd:
        case 0xd1:
          skip = 2;
          break;
        case 0xce:
        case 0xd2:
          skip = 4;
          break;
        case 0xcf:
        case 0xd3:
          skip = 8;
          break;
        case 0xd4:
          skip = 2;
          break;
        case 0xd5:
          skip = 3;
          break;
        case 0xd6:
          skip = 5;
          break;
        case 0xd7:
          skip = 9;
          break;
        case 0xd8:
          skip = 17;
          break;
        case 0xdc:
          head = 3;
          items = u16(pos + 1);
          break;
        case 0xdd:
          head = 5;
          items = u32(pos + 1);
          break;
        case 0xde:
          head = 3;
          items = u16(pos + 1) * 2;
          break;
        case 0xdf:
          head = 5;
          items = u32(pos + 1) * 2;
          break;
        default:
          return `MessagePack: byte 0x${b.toString(16)} at ${pos} starts no item`;
      }
    }
    if (pos + head > len) return 'MessagePack: the frame ends inside a header';
    pos += head;
    if (skip > len - pos) return `MessagePack: an item at ${pos - head} announces ${skip} bytes, ${len - pos} are left`;
    pos += skip;
    pending[pending.length - 1]--;
    if (items > 0) {
      // Every element takes at least one byte.
      if (items > len - pos) return `MessagePack: a container at ${pos - head} announces ${items} items, ${len - pos} bytes are left`;
      if (pending.length > maxDepth) return `MessagePack: containers nest deeper than ${maxDepth} levels`;
      pending.push(items);
    }
    while (pending.length > 0 && pending[pending.length - 1] === 0) pending.pop();
  }
  return undefined;
}
