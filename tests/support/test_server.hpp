// test_server.hpp: the local web the fetch tests read (tests/support/fetch_server.py),
// started by the test on 127.0.0.1 and an ephemeral port, and stopped by it: nothing in
// the suite needs the internet or a server started by hand.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdexcept>
#include <string>

namespace dconv::testing {

class TestServer {
public:
    // Starts the server and waits for the port it prints; with a certificate and its key
    // (PEM files), it speaks HTTPS. Throws when python3 or the script cannot start.
    explicit TestServer(const std::string& tls_cert = {}, const std::string& tls_key = {}) {
        int in[2], out[2];
        if (::pipe(in) != 0 || ::pipe(out) != 0) throw std::runtime_error("pipe failed");
        pid_ = ::fork();
        if (pid_ < 0) throw std::runtime_error("fork failed");
        if (pid_ == 0) {
            ::dup2(in[0], 0);
            ::dup2(out[1], 1);
            ::close(in[0]);
            ::close(in[1]);
            ::close(out[0]);
            ::close(out[1]);
            const char* script = DCONV_SOURCE_DIR "/tests/support/fetch_server.py";
            if (tls_cert.empty())
                ::execlp("python3", "python3", script, (char*)nullptr);
            else
                ::execlp("python3", "python3", script, "--tls", tls_cert.c_str(), tls_key.c_str(), (char*)nullptr);
            ::_exit(127);
        }
        ::close(in[0]);
        ::close(out[1]);
        stdin_ = in[1];
        std::string line;
        char c;
        while (::read(out[0], &c, 1) == 1 && c != '\n') line += c;
        ::close(out[0]);
        if (line.empty()) {
            stop();
            throw std::runtime_error("tests/support/fetch_server.py did not start (is python3 installed?)");
        }
        port_ = std::stoi(line);
        tls_ = !tls_cert.empty();
    }
    ~TestServer() { stop(); }
    TestServer(const TestServer&) = delete;
    TestServer& operator=(const TestServer&) = delete;

    int port() const { return port_; }
    // "http://127.0.0.1:PORT" + path (https:// for a TLS server)
    std::string url(const std::string& path) const {
        return std::string(tls_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_) + path;
    }

    // Stops the server (its port then refuses connections); idempotent.
    void stop() {
        if (pid_ <= 0) return;
        ::close(stdin_);  // the server exits when its standard input closes
        ::kill(pid_, SIGTERM);
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
    }

private:
    pid_t pid_ = -1;
    int stdin_ = -1;
    int port_ = 0;
    bool tls_ = false;
};

}  // namespace dconv::testing
