package io.paddock.server

import akka.actor.testkit.typed.scaladsl.ScalaTestWithActorTestKit
import akka.actor.typed.ActorRef
import io.paddock.storage.TxnLog
import io.paddock.tree.{Acl, CreateMode, DataTree, ErrorCode, Op, OpResult}
import org.scalatest.wordspec.AnyWordSpecLike

import java.nio.file.{Files, Path}
import scala.concurrent.duration._

/** Empty containers and expired TTL nodes are removed by the server, as transactions. */
class ReaperSpec extends ScalaTestWithActorTestKit with AnyWordSpecLike {

  private val checkIntervalMs = 100L
  private val dataDir: Path = Files.createTempDirectory("reaper-spec")
  private val config = PaddockConfig.defaults(dataDir).withTickTime(100)
    .withContainerCheckIntervalMs(checkIntervalMs)
  private val tree: ActorRef[TreeActor.Command] = spawn(TreeActor.create(config, 0, () => System.currentTimeMillis(),
    new DataTree(), TxnLog.open(dataDir, LogWriter.options(config.storage))))

  override protected def afterAll(): Unit = {
    super.afterAll()
    Files.walk(dataDir).sorted(java.util.Comparator.reverseOrder()).forEach(p => Files.delete(p))
  }
  private val noSession = ServerGateway.NO_SESSION

  private def run(op: Op): Reply = {
    val probe = createTestProbe[Reply]()
    if (op.isWrite) tree ! new TreeActor.Write(noSession, 0, java.util.List.of(), op, ReplyTo.actor(probe.ref))
    else tree ! new TreeActor.Read(noSession, java.util.List.of(), op, ReplyTo.actor(probe.ref))
    probe.receiveMessage(5.seconds)
  }

  private def create(path: String, mode: CreateMode, ttlMs: Long = 0): Reply =
    run(new Op.Create(path, Array.emptyByteArray, Acl.OPEN_ACL_UNSAFE, mode, ttlMs))

  private def exists(path: String): Boolean = run(new Op.Exists(path, false)).result match {
    case _: OpResult.StatResult => true
    case e: OpResult.Error if e.code == ErrorCode.NO_NODE => false
    case other => fail(s"unexpected $other")
  }

  /** Waits, with a deadline, for the node to be gone; fails if it is still there. */
  private def awaitGone(path: String): Unit =
    createTestProbe[Any]().awaitAssert(assert(!exists(path), s"$path should have been removed"), 5.seconds, 20.millis)

  "the reaper" should {
    "remove a container once its last child is gone, in a transaction of its own" in {
      create("/box", CreateMode.CONTAINER)
      create("/box/item", CreateMode.PERSISTENT)
      val deleted = run(new Op.Delete("/box/item", -1))
      awaitGone("/box")
      val status = createTestProbe[ServerStatus]()
      tree ! new TreeActor.GetStatus(status.ref)
      status.receiveMessage().zxid should be > deleted.zxid
    }

    "leave alone a container that never had children" in {
      create("/empty-box", CreateMode.CONTAINER)
      create("/marker", CreateMode.CONTAINER)
      create("/marker/x", CreateMode.PERSISTENT)
      run(new Op.Delete("/marker/x", -1))
      awaitGone("/marker")
      // /marker went in a later check than /empty-box could have: /empty-box is still there.
      exists("/empty-box") shouldBe true
    }

    "remove a TTL node once it has gone unmodified for its TTL, and not before" in {
      val ttlMs = 600L
      val created = System.nanoTime()
      create("/ttl", CreateMode.PERSISTENT_WITH_TTL, ttlMs)
      awaitGone("/ttl")
      (System.nanoTime() - created).nanos.toMillis should be >= ttlMs
    }

    "keep a TTL node that has children" in {
      create("/ttl-parent", CreateMode.PERSISTENT_WITH_TTL, 100)
      create("/ttl-parent/child", CreateMode.PERSISTENT)
      create("/ttl-probe", CreateMode.PERSISTENT_WITH_TTL, 100)
      awaitGone("/ttl-probe")
      exists("/ttl-parent") shouldBe true
    }
  }
}
