package io.paddock.server;

/**
 * One peer message, or one piece of a large one, between the peer actors of two servers. The
 * message itself is serialized by Akka's serialization (jackson-cbor, see application.conf) into
 * {@code bytes}; messages bigger than a frame (a snapshot, a long DIFF) travel as consecutive
 * chunks, which Artery keeps in order on the link. A chunk that does not follow the previous one
 * means the link broke: the partial message is dropped, as a TCP connection's loss would drop it.
 *
 * @param from         the sending server's id
 * @param messageId    numbers the sender's messages, to tell the chunks of one from another's
 * @param chunk        this chunk's index, from 0
 * @param chunks       how many chunks the message has
 * @param serializerId with {@code manifest}: how to deserialize the joined bytes
 */
public record PeerFrame(long from, long messageId, int chunk, int chunks, int serializerId, String manifest,
                        byte[] bytes) implements PeerActor.Command {
}
