package io.paddock

import com.fasterxml.jackson.databind.JsonNode
import io.paddock.history.{HistoryRecorder, HttpZnodeClient, LinearizabilityChecker, SequentialConsistencyChecker}
import org.scalatest.BeforeAndAfterAll
import org.scalatest.matchers.should.Matchers
import org.scalatest.wordspec.AnyWordSpec

import java.nio.charset.StandardCharsets
import java.nio.file.{Files, Path}
import java.time.Duration
import java.util.Base64
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.atomic.{AtomicBoolean, AtomicInteger}
import scala.jdk.CollectionConverters._

/**
 * A replicated ensemble of real server processes on 127.0.0.1 (three voters and an observer),
 * killed, frozen and restarted as a failing machine or an operator would. The scenarios run in
 * order on the same ensemble, each leaving it whole for the next. A short tickTime (100 ms)
 * keeps elections quick.
 */
class EnsembleSpec extends AnyWordSpec with Matchers with BeforeAndAfterAll {

  private val TickTime = 100
  private val Deadline = Duration.ofSeconds(60)
  private val Observer = 4L

  private val base: Path = Files.createTempDirectory("ensemble-spec")
  /** A short DIFF history, so that a follower that missed more than this is sent a SNAP. */
  private val CommitLogCount = 20
  private val e = new EnsembleProcesses(base, 3, 1, TickTime, java.util.List.of(s"commitLogCount=$CommitLogCount"))

  override protected def beforeAll(): Unit = e.startAll()

  override protected def afterAll(): Unit = {
    e.close()
    Files.walk(base).sorted(java.util.Comparator.reverseOrder()).forEach(f => Files.deleteIfExists(f))
  }

  /** Runs a scenario; a failure carries every server's output. */
  private def scenario(body: => Unit): Unit =
    try body
    catch { case t: Throwable => throw new AssertionError(t.toString + "\n" + e.transcripts(), t) }

  private def all: java.util.List[java.lang.Long] = e.ids()
  private def voters: Seq[Long] = e.ids().asScala.map(_.longValue()).filter(_ != Observer).toSeq
  private def ids: Seq[Long] = e.ids().asScala.map(_.longValue()).toSeq
  private def awaitLeader(among: Seq[Long] = ids): Long =
    e.awaitLeader(Deadline, among.map(java.lang.Long.valueOf).asJava)

  /** How many times the running servers have logged synchronising {@code follower} this way. */
  private def syncs(kind: String, follower: Long): Int = {
    val line = s"Synchronising server $follower with a $kind"
    ids.filter(id => e.isRunning(id)).map(id => e.process(id).stdout().text().split(line, -1).length - 1).sum
  }

  private def b64(s: String): String = Base64.getEncoder.encodeToString(s.getBytes(StandardCharsets.UTF_8))

  private def create(server: Long, path: String, value: String): Int =
    e.http(server).send("POST", "/v1/znodes" + path, s"""{"data":"${b64(value)}"}""").statusCode()

  /** The value at path as one server shows it after a sync there, or None when the node is absent. */
  private def syncedRead(server: Long, path: String): Option[String] = {
    e.http(server).call("POST", "/v1/sync/", null)
    val r = e.http(server).send("GET", "/v1/znodes" + path, null)
    if (r.statusCode() == 404) None
    else {
      withClue(r.body()) { r.statusCode() shouldBe 200 }
      val node: JsonNode = PaddockHttp.parse(r.body())
      Some(new String(Base64.getDecoder.decode(node.path("data").asText()), StandardCharsets.UTF_8))
    }
  }

  "A 3-server ensemble with an observer" should {

    "elect one leader that the others follow, and show a write made through any server on all of them" in scenario {
      val leader = awaitLeader()
      val modes = ids.map(id => e.status(id).path("mode").asText())
      modes.count(_ == "leader") shouldBe 1
      modes.count(_ == "follower") shouldBe 2
      e.status(Observer).path("mode").asText() shouldBe "observer"
      ids.map(id => e.status(id).path("ensemble").path("currentEpoch").asLong()).toSet.size shouldBe 1
      e.status(leader).path("ensemble").path("learners").size() shouldBe 3
      for (id <- ids) create(id, s"/written-through-$id", s"value-$id") shouldBe 201
      for (reader <- ids; writer <- ids) syncedRead(reader, s"/written-through-$writer") shouldBe Some(s"value-$writer")
    }

    "bring a follower that was down up to date: with a DIFF when it missed little, a SNAP when it missed more" in
      scenario {
        val leader = awaitLeader()
        val follower = voters.find(_ != leader).get
        val diffs = syncs("DIFF", follower)
        e.kill(follower)
        for (i <- 0 until 5) create(leader, s"/while-down-$i", s"w$i") shouldBe 201
        e.start(follower)
        awaitLeader()
        for (i <- 0 until 5) syncedRead(follower, s"/while-down-$i") shouldBe Some(s"w$i")
        syncs("DIFF", follower) should be > diffs

        val snaps = syncs("SNAP", follower)
        e.kill(follower)
        for (i <- 0 until 2 * CommitLogCount) create(leader, s"/long-down-$i", s"l$i") shouldBe 201
        e.start(follower)
        awaitLeader()
        for (i <- 0 until 2 * CommitLogCount) syncedRead(follower, s"/long-down-$i") shouldBe Some(s"l$i")
        syncs("SNAP", follower) should be > snaps
      }

    "keep a session alive through any server, and expire it on every server once its client is silent" in scenario {
      val leader = awaitLeader()
      val Seq(a, b) = voters.filter(_ != leader).take(2)
      val opened = e.http(a).call("POST", "/v1/sessions", """{"timeoutMs":1500}""")
      val sid = opened.path("sessionId").asText()
      e.http(a).send("POST", "/v1/znodes/owned", s"""{"mode":"EPHEMERAL","data":"${b64("mine")}"}""", "Paddock-Session", sid)
        .statusCode() shouldBe 201
      // Two timeouts' worth of heartbeats, all on another server: the leader hears of them.
      val until = System.nanoTime() + 3000L * 1000000
      while (System.nanoTime() < until) {
        e.http(b).send("POST", s"/v1/sessions/$sid/heartbeat", null).statusCode() shouldBe 200
        Thread.sleep(200) // a client's heartbeat period
      }
      for (id <- ids) syncedRead(id, "/owned") shouldBe Some("mine")
      // Silence: the leader expires the session, and its ephemeral goes everywhere.
      val deadline = System.nanoTime() + Deadline.toNanos
      while (ids.exists(id => syncedRead(id, "/owned").isDefined) && System.nanoTime() < deadline) Thread.sleep(100)
      for (id <- ids) syncedRead(id, "/owned") shouldBe None
      e.http(b).send("POST", s"/v1/sessions/$sid/heartbeat", null).statusCode() should not be 200
    }

    "replace a leader killed with SIGKILL within seconds, and keep every write it acknowledged" in scenario {
      val leader = awaitLeader()
      val acked = new ConcurrentHashMap[String, String]()
      val stop = new AtomicBoolean(false)
      val writers = ids.filter(_ != leader).map { id =>
        val t = new Thread(() => {
          var i = 0
          while (!stop.get()) {
            val path = s"/load-$id-$i"
            try if (create(id, path, s"v$i") == 201) acked.put(path, s"v$i")
            catch { case _: java.io.IOException => } // no answer: unknown outcome, not counted
            i += 1
          }
        })
        t.start()
        t
      }
      val loadDeadline = System.nanoTime() + Deadline.toNanos
      while (acked.size() < 50 && System.nanoTime() < loadDeadline) Thread.sleep(10)
      acked.size() should be >= 50
      val killedAt = System.nanoTime()
      e.kill(leader)
      val newLeader = awaitLeader(ids.filter(_ != leader))
      val electedMs = (System.nanoTime() - killedAt) / 1000000
      newLeader should not be leader
      println(s"EnsembleSpec: a new leader served all survivors $electedMs ms after the old one was killed (tickTime $TickTime ms)")
      stop.set(true)
      writers.foreach(_.join(60000))
      e.start(leader)
      awaitLeader()
      for (id <- ids; (path, value) <- acked.asScala) {
        withClue(s"server $id, acknowledged $path: ") { syncedRead(id, path) shouldBe Some(value) }
      }
    }

    "replace a frozen leader, which acknowledges no write under its old epoch when it resumes" in scenario {
      val leader = awaitLeader()
      e.freeze(leader)
      val newLeader = awaitLeader(ids.filter(_ != leader))
      newLeader should not be leader
      create(newLeader, "/after-freeze", "new") shouldBe 201
      // A client still talking to the old leader: its write waits while that server is frozen.
      val stale = new AtomicInteger(-1)
      val client = new Thread(() => {
        try stale.set(create(leader, "/through-old-leader", "stale"))
        catch { case _: java.io.IOException => stale.set(0) }
      })
      client.start()
      e.thaw(leader)
      client.join(60000)
      awaitLeader()
      e.status(leader).path("mode").asText() should not be "leader"
      // Whatever the old leader answered, the ensemble agrees with it: acknowledged means present.
      if (stale.get() == 201) syncedRead(newLeader, "/through-old-leader") shouldBe Some("stale")
      for (id <- ids) syncedRead(id, "/after-freeze") shouldBe Some("new")
    }

    "keep clients' histories linearizable and each client's reads sequentially consistent through a leader's crash" in
      scenario {
        val leader = awaitLeader()
        create(leader, "/lin", "") shouldBe 201
        val recorder = new HistoryRecorder()
        val stop = new AtomicBoolean(false)
        val clients = ids.flatMap(server => Seq(0, 1).map(k => (server, server * 10 + k)))
        val threads = clients.map { case (server, clientId) =>
          val t = new Thread(() => {
            val client = new HttpZnodeClient(recorder, clientId, e.http(server).port())
            val rnd = new scala.util.Random(clientId)
            var i = 0
            var answered = true
            // A client whose server died stops: it would only add unknown outcomes.
            while (!stop.get() && (answered || e.isRunning(server))) {
              val key = s"/lin/k${rnd.nextInt(4)}"
              val value = s"c$clientId-$i"
              answered = rnd.nextInt(10) match {
                case 0 => client.create(key, value)
                case n if n < 5 => client.setData(key, value)
                case _ => client.read(key)
              }
              i += 1
            }
          })
          t.start()
          t
        }
        val warmup = System.nanoTime() + Deadline.toNanos
        while (recorder.size() < 300 && System.nanoTime() < warmup) Thread.sleep(10)
        e.kill(leader)
        awaitLeader(ids.filter(_ != leader))
        val after = recorder.size()
        while (recorder.size() < after + 300 && System.nanoTime() < warmup + Deadline.toNanos) Thread.sleep(10)
        stop.set(true)
        threads.foreach(_.join(60000))
        e.start(leader)
        awaitLeader()
        val history = recorder.history()
        println(s"EnsembleSpec: checked a history of ${history.size()} operations by ${clients.size} clients")
        val linearizable = new LinearizabilityChecker().check(history)
        withClue(linearizable.describe()) { linearizable.isLinearizable shouldBe true }
        val sequential = SequentialConsistencyChecker.check(history)
        withClue(sequential.describe(history)) { sequential.ok() shouldBe true }
      }

    "lose nothing when every server is killed at once and restarted" in scenario {
      awaitLeader()
      for (i <- 0 until 20) create(ids(i % ids.size), s"/before-$i", s"b$i") shouldBe 201
      ids.foreach(id => e.kill(id))
      e.startAll()
      awaitLeader()
      for (id <- ids; i <- 0 until 20) syncedRead(id, s"/before-$i") shouldBe Some(s"b$i")
    }
  }
}
