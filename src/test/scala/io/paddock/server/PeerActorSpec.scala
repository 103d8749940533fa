package io.paddock.server

import akka.actor.testkit.typed.scaladsl.{ActorTestKit, FishingOutcomes, TestProbe}
import akka.actor.typed.scaladsl.Behaviors
import akka.actor.typed.{ActorRef, Behavior}
import akka.cluster.typed.{Cluster, JoinSeedNodes}
import com.typesafe.config.{Config, ConfigFactory}
import io.paddock.tree.{Txn, TxnRecord}
import io.paddock.zab.{Ensemble, Peer, PeerStatus, ServerState, Timing, Zxid}
import org.scalatest.BeforeAndAfterAll
import org.scalatest.matchers.should.Matchers
import org.scalatest.wordspec.AnyWordSpec

import scala.collection.mutable.ArrayBuffer
import scala.concurrent.duration._
import scala.jdk.CollectionConverters._

/**
 * Three peer actors with real ZAB cores, each in an actor system of its own (Akka Cluster over
 * Artery TCP on 127.0.0.1, as an ensemble member runs), talking over their peer links. Probes stand
 * in for each server's tree actor and session tracker; a PeerActorDisk plays the log writer, so
 * the spec decides when each server's disk answers. The scenarios run in order on one ensemble;
 * the last one stops the leader's actor system.
 */
class PeerActorSpec extends AnyWordSpec with Matchers with BeforeAndAfterAll {
  import PeerActorSpec._

  private val nodes: Seq[Node] = Ids.map(new Node(_))

  override protected def beforeAll(): Unit = {
    // Every address is known only once every system and every peer port is bound (port 0).
    val ports = nodes.map(n => java.lang.Long.valueOf(n.id) -> n.peerPort).toMap.asJava
    val members = nodes.map(n => java.lang.Long.valueOf(n.id) -> n.address.toString).toMap.asJava
    val seeds = nodes.map(_.address).toList
    nodes.foreach { n =>
      Cluster(n.kit.system).manager ! JoinSeedNodes(seeds)
      n.peer ! AddressesKnown(ports, members)
      n.peer ! new PeerActor.Wire(n.tree.ref, n.disk)
      n.peer ! new PeerActor.TrackerReady(n.tracker.ref)
    }
  }

  override protected def afterAll(): Unit = nodes.foreach(_.stop())

  private def node(id: Long): Node = nodes.find(_.id == id).get

  /**
   * Waits until exactly one of `among` leads and the others follow it, all serving in one epoch;
   * returns (leader, epoch).
   */
  private def awaitEstablished(among: Seq[Node], max: FiniteDuration = 15.seconds): (Long, Long) =
    among.head.kit.createTestProbe[Any]().awaitAssert({
      val statuses = among.map(_.status())
      val leaders = statuses.filter(_.state == ServerState.LEADING)
      withClue(statuses.mkString("\n")) {
        leaders should have size 1
        val leader = leaders.head
        statuses.filterNot(_ eq leader).foreach { s =>
          s.state shouldBe ServerState.FOLLOWING
          s.leaderId shouldBe leader.myId
        }
        statuses.map(_.serving).distinct shouldBe Seq(true)
        statuses.map(_.currentEpoch).distinct shouldBe Seq(leader.currentEpoch)
        (leader.myId, leader.currentEpoch)
      }
    }, max, 100.millis)

  /** The tree probe is told that this server serves under `leader` in `epoch`. */
  private def awaitServing(n: Node, leader: Long, epoch: Long): Unit =
    n.tree.fishForMessage(10.seconds, s"server ${n.id} serving under $leader in epoch $epoch") {
      case rc: TreeActor.RoleChanged =>
        val r = rc.role
        if (r.serving && r.leaderId == leader && r.epoch == epoch) FishingOutcomes.complete
        else FishingOutcomes.continueAndIgnore
      case other => FishingOutcomes.fail(s"server ${n.id}'s tree got $other while waiting to serve")
    }

  /** The log writer of `n` is asked to append exactly these zxids, in this order. */
  private def awaitAppended(n: Node, zxids: Seq[Long]): Unit = {
    val pending = scala.collection.mutable.Queue(zxids: _*)
    n.log.fishForMessage(10.seconds, s"server ${n.id} appending ${zxids.map(Zxid.hex)}") {
      case a: LogWriter.Append if a.record.zxid == pending.head =>
        pending.dequeue()
        if (pending.isEmpty) FishingOutcomes.complete else FishingOutcomes.continueAndIgnore
      case a: LogWriter.Append =>
        FishingOutcomes.fail(s"server ${n.id} appended ${Zxid.hex(a.record.zxid)}, expected ${Zxid.hex(pending.head)}")
      case _ => FishingOutcomes.continueAndIgnore // epochs written during election and sync
    }
  }

  /** The next messages to the tree probe of `n` apply exactly these records, in this order. */
  private def awaitApplied(n: Node, records: Seq[TxnRecord]): Unit = {
    val applied = ArrayBuffer.empty[TxnRecord]
    while (applied.size < records.size) {
      applied ++= n.tree.expectMessageType[TreeActor.ApplyCommitted](10.seconds).records.asScala.map(_.record)
    }
    withClue(s"server ${n.id}: ") {
      applied.toSeq shouldBe records
    }
  }

  /** Holds back the disks of `held` for the body; whatever happens, they answer again after it. */
  private def holdingDisks[A](held: Node*)(body: => A): A = {
    held.foreach(_.disk ! PeerActorDisk.Hold)
    try body
    finally held.foreach(_.disk ! PeerActorDisk.Release)
  }

  private def ackedBy(leader: Node, follower: Node): Long =
    leader.status().learners.asScala.find(_.id == follower.id).map(_.ackedZxid).getOrElse(-1L)

  "three peer actors, each in its own actor system" should {

    "elect exactly one leader, which the other two follow in the same epoch, and all serve" in {
      val (leader, epoch) = awaitEstablished(nodes)
      epoch should be > 0L
      nodes.foreach(awaitServing(_, leader, epoch))
      nodes.foreach { n =>
        n.tracker.fishForMessage(5.seconds, s"server ${n.id}'s tracker told it serves") {
          case rc: SessionTracker.RoleChanged if rc.role.serving && rc.role.epoch == epoch => FishingOutcomes.complete
          case _ => FishingOutcomes.continueAndIgnore
        }
      }
    }

    "commit a proposal once a majority persisted it, while one follower still holds back its Persisted" in {
      val (leaderId, epoch) = awaitEstablished(nodes)
      val leader = node(leaderId)
      val Seq(slow, _) = nodes.filterNot(_.id == leaderId)
      val r1 = record(epoch, 1)
      val r2 = record(epoch, 2)
      holdingDisks(slow) {
        leader.peer ! new PeerActor.Propose(r1, leaderId, 1L)
        leader.peer ! new PeerActor.Propose(r2, leaderId, 2L)
        nodes.foreach(awaitAppended(_, Seq(r1.zxid, r2.zxid)))
        // The leader's own vote and the quick follower's ACK commit both; the slow one learns by COMMIT.
        nodes.foreach(awaitApplied(_, Seq(r1, r2)))
        ackedBy(leader, slow) should be < r1.zxid
      }
      leader.kit.createTestProbe[Any]().awaitAssert(ackedBy(leader, slow) shouldBe r2.zxid, 5.seconds, 50.millis)
    }

    "not commit while two followers hold back their Persisted, and commit once one of them answers" in {
      val (leaderId, epoch) = awaitEstablished(nodes)
      val leader = node(leaderId)
      val Seq(first, second) = nodes.filterNot(_.id == leaderId)
      val r3 = record(epoch, 3)
      holdingDisks(first) {
        holdingDisks(second) {
          leader.peer ! new PeerActor.Propose(r3, leaderId, 3L)
          nodes.foreach(awaitAppended(_, Seq(r3.zxid)))
          // Fifteen half-ticks of pings and answers: a commit would have come long before.
          leader.tree.expectNoMessage(750.millis)
          nodes.foreach(_.tree.expectNoMessage(10.millis))
          val held = leader.status()
          held.lastLoggedZxid shouldBe r3.zxid
          held.lastCommittedZxid shouldBe Zxid.make(epoch, 2)
        }
        // The second follower's disk answered: with the leader's own vote, a majority.
        nodes.foreach(awaitApplied(_, Seq(r3)))
      }
      leader.kit.createTestProbe[Any]().awaitAssert(ackedBy(leader, first) shouldBe r3.zxid, 5.seconds, 50.millis)
    }

    "pass a follower's submitted write to the leader's tree to prepare, with its tag and bytes" in {
      val (leaderId, epoch) = awaitEstablished(nodes)
      val leader = node(leaderId)
      val follower = nodes.filterNot(_.id == leaderId).head
      val request = ForwardedWriteCodec.encode(new ForwardedWrite.OpenSession(0x2aL, 30000))
      follower.peer ! new PeerActor.Submit(77L, request)
      val prepare = leader.tree.expectMessageType[TreeActor.PrepareForwarded](10.seconds)
      prepare.origin shouldBe follower.id
      prepare.tag shouldBe 77L
      prepare.request.toSeq shouldBe request.toSeq
      // The leader's tree proposes it back; the origin learns, with the tag, that it is applied.
      val r4 = new TxnRecord(Zxid.make(epoch, 4), 0x2aL, 0, 4000L, new Txn.CreateSession(30000))
      leader.peer ! new PeerActor.Propose(r4, prepare.origin, prepare.tag)
      val applied = follower.tree.expectMessageType[TreeActor.ApplyCommitted](10.seconds).records.asScala.toSeq
      applied.map(a => (a.record, a.origin, a.tag)) shouldBe Seq((r4, follower.id, 77L))
      nodes.filterNot(_ eq follower).foreach(awaitApplied(_, Seq(r4)))
    }

    "elect a new leader in a higher epoch when the leader's actor system stops" in {
      val (oldLeader, oldEpoch) = awaitEstablished(nodes)
      node(oldLeader).stop()
      val rest = nodes.filterNot(_.id == oldLeader)
      val (newLeader, newEpoch) = awaitEstablished(rest, 20.seconds)
      newLeader should not be oldLeader
      newEpoch should be > oldEpoch
      rest.foreach(awaitServing(_, newLeader, newEpoch))
      rest.foreach(_.status().lastLoggedZxid shouldBe Zxid.make(oldEpoch, 4))
      // Two of three are a quorum: the new epoch commits, numbered from 1.
      val r = record(newEpoch, 1)
      node(newLeader).peer ! new PeerActor.Propose(r, newLeader, 5L)
      rest.foreach(awaitApplied(_, Seq(r)))
    }
  }
}

object PeerActorSpec {

  private val Ids: Seq[Long] = Seq(1L, 2L, 3L)
  private val TickTimeMs = 100

  /** What ClusterSettings.forEnsemble sets, on a free port; seed nodes are joined once all are bound. */
  private def memberConfig: Config = ConfigFactory.parseString(
    s"""
       |akka.actor.provider = cluster
       |akka.remote.artery.transport = tcp
       |akka.remote.artery.canonical.hostname = "127.0.0.1"
       |akka.remote.artery.canonical.port = 0
       |akka.cluster.downing-provider-class = ""
       |akka.cluster.log-info = off
       |akka.cluster.jmx.enabled = off
       |akka.cluster.shutdown-after-unsuccessful-join-seed-nodes = off
       |""".stripMargin)
    // ActorTestKit(name, config) does not read application-test.conf itself: it holds the bindings.
    .withFallback(ConfigFactory.load("application-test"))

  /** Tells a peer actor, spawned before the others' ports were known, where its peers are. */
  private final case class AddressesKnown(ports: java.util.Map[java.lang.Long, java.net.InetSocketAddress],
                                          members: java.util.Map[java.lang.Long, String]) extends PeerActor.Command

  private def awaitingAddresses(core: Peer, links: PeerLinks): Behavior[PeerActor.Command] =
    Behaviors.withStash[PeerActor.Command](1000) { stash =>
      Behaviors.receiveMessage {
        case AddressesKnown(ports, members) =>
          stash.unstashAll(PeerActor.create(core, links, ports, members, TickTimeMs))
        case other =>
          stash.stash(other)
          Behaviors.same
      }
    }

  private def record(epoch: Long, counter: Long): TxnRecord =
    new TxnRecord(Zxid.make(epoch, counter), 0x100L + counter, 0, 1000L * counter, new Txn.CreateSession(30000))

  /** One server: its actor system, its peer actor with a fresh core, its disk, and its probes. */
  private final class Node(val id: Long) {
    // One system name for all: Akka Cluster joins only systems of the same name.
    val kit: ActorTestKit = ActorTestKit(ClusterSettings.SYSTEM_NAME, memberConfig)
    val tree: TestProbe[TreeActor.Command] = kit.createTestProbe[TreeActor.Command]("tree")
    val log: TestProbe[LogWriter.Command] = kit.createTestProbe[LogWriter.Command]("log")
    val tracker: TestProbe[SessionTracker.Command] = kit.createTestProbe[SessionTracker.Command]("tracker")
    private val core = new Peer(
      Ensemble.of(id, Ids.map(java.lang.Long.valueOf).toSet.asJava, java.util.Set.of[java.lang.Long]()),
      new Timing(10, 5), Peer.Options.DEFAULTS, 0, 0, 0, java.util.List.of[TxnRecord]())
    private val links = PeerLinks.bind(id, new java.net.InetSocketAddress("127.0.0.1", 0))
    val peer: ActorRef[PeerActor.Command] = kit.spawn(awaitingAddresses(core, links), "peer")
    val disk: ActorRef[Any] = kit.spawn(PeerActorDisk(peer, log.ref), "disk")
    private var stopped = false

    def address: akka.actor.Address = kit.system.address

    /** Where the other servers' links reach this one. */
    def peerPort: java.net.InetSocketAddress = new java.net.InetSocketAddress("127.0.0.1", links.localPort())

    def status(): PeerStatus = {
      val probe = kit.createTestProbe[PeerStatus]()
      peer ! new PeerActor.GetStatus(probe.ref)
      try probe.receiveMessage(3.seconds)
      finally probe.stop()
    }

    def stop(): Unit = if (!stopped) {
      stopped = true
      kit.shutdownTestKit()
      links.close()
    }
  }
}
