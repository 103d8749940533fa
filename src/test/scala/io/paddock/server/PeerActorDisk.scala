package io.paddock.server

import akka.actor.typed.{ActorRef, Behavior}
import akka.actor.typed.scaladsl.Behaviors
import io.paddock.zab.Input

/**
 * Stands in for one server's log writer and the tree actor that relays its completions: every
 * request for disk work is shown to a monitor (a test probe) and answered to the peer actor with
 * the completion the real pair would send (Persisted, EpochsPersisted, Truncated,
 * SnapshotInstalled). A test may hold the disk back: completions then queue up, still in the
 * order the work was asked for (the core relies on that order), until it is released.
 *
 * Its messages are LogWriter commands plus Hold and Release; an ActorRef[Any] is an
 * ActorRef[LogWriter.Command], so the peer actor can be wired to it directly.
 */
object PeerActorDisk {

  /** From now on, keep the completions instead of answering them. */
  case object Hold

  /** Answer every kept completion, in order, and answer at once again from now on. */
  case object Release

  def apply(peer: ActorRef[PeerActor.Command], monitor: ActorRef[LogWriter.Command]): Behavior[Any] =
    answering(peer, monitor, held = None)

  private def answering(peer: ActorRef[PeerActor.Command], monitor: ActorRef[LogWriter.Command],
                        held: Option[Vector[Input]]): Behavior[Any] = {
    def done(completion: Input): Behavior[Any] = held match {
      case Some(queue) => answering(peer, monitor, Some(queue :+ completion))
      case None =>
        peer ! new PeerActor.DiskDone(completion)
        Behaviors.same
    }

    Behaviors.receiveMessage {
      case Hold =>
        answering(peer, monitor, Some(held.getOrElse(Vector.empty)))
      case Release =>
        held.getOrElse(Vector.empty).foreach(c => peer ! new PeerActor.DiskDone(c))
        answering(peer, monitor, None)
      case _: LogWriter.ReportTo =>
        Behaviors.same
      case a: LogWriter.Append =>
        monitor ! a
        done(new Input.Persisted(a.record.zxid))
      case e: LogWriter.PersistEpochs =>
        monitor ! e
        done(new Input.EpochsPersisted(e.acceptedEpoch, e.currentEpoch))
      case t: LogWriter.Truncate =>
        monitor ! t
        done(new Input.Truncated(t.zxid))
      case i: LogWriter.Install =>
        monitor ! i
        done(new Input.SnapshotInstalled(i.zxid))
      case other: LogWriter.Command =>
        monitor ! other
        Behaviors.same
      case other =>
        throw new IllegalArgumentException(s"the disk got $other")
    }
  }
}
